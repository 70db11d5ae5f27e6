-- ARGV[4..] = seq, json, client key ('' for none) triples in ascending seq. Returns
-- {'not_found'}, {'order', last}, {'beyond', last_seq} (a seq past the session's last_seq),
-- {'key_taken', key} (a stored message holds that client key) — nothing written — or {'ok'}.
local last_seq = redis.call('HGET', s, 'last_seq')
if not last_seq then return {'not_found'} end
if tonumber(ARGV[#ARGV - 2]) > tonumber(last_seq) then return {'beyond', last_seq} end
local last = redis.call('XREVRANGE', m, '+', '-', 'COUNT', 1)
local floor = 0
if #last > 0 then floor = tonumber(string.match(last[1][1], '^(%d+)')) end
if tonumber(ARGV[4]) <= floor then return {'order', fmt(floor)} end
for i = 6, #ARGV, 3 do
  if ARGV[i] ~= '' and redis.call('HEXISTS', k, ARGV[i]) == 1 then return {'key_taken', ARGV[i]} end
end
for i = 4, #ARGV, 3 do
  redis.call('XADD', m, ARGV[i] .. '-0', 'j', ARGV[i + 1])
  if ARGV[i + 2] ~= '' then redis.call('HSET', k, ARGV[i + 2], ARGV[i]) end
end
local expires = redis.call('HGET', s, 'expires_at')
if expires ~= '' then
  redis.call('PEXPIREAT', m, expires)
  redis.call('PEXPIREAT', k, expires)
end
return {'ok'}
