-- ARGV[4..] = seq, json pairs in ascending seq. Returns {'not_found'}, {'order', last},
-- {'beyond', last_seq} (a seq past the session's last_seq: nothing written) or {'ok'}.
local last_seq = redis.call('HGET', s, 'last_seq')
if not last_seq then return {'not_found'} end
if tonumber(ARGV[#ARGV - 1]) > tonumber(last_seq) then return {'beyond', last_seq} end
local last = redis.call('XREVRANGE', m, '+', '-', 'COUNT', 1)
local floor = 0
if #last > 0 then floor = tonumber(string.match(last[1][1], '^(%d+)')) end
if tonumber(ARGV[4]) <= floor then return {'order', fmt(floor)} end
for i = 4, #ARGV, 2 do
  redis.call('XADD', m, ARGV[i] .. '-0', 'j', ARGV[i + 1])
end
local expires = redis.call('HGET', s, 'expires_at')
if expires ~= '' then redis.call('PEXPIREAT', m, expires) end
return {'ok'}
