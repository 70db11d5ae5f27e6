-- ARGV[4] = expected last_seq or '', ARGV[5..] = messages (JSON without seq).
if state() ~= 'live' then return {'not_found'} end
local h = redis.call('HMGET', s, 'last_seq', 'message_count')
local last = tonumber(h[1])
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= last then return {'conflict', fmt(last)} end
local n = #ARGV - 4
for i = 1, n do
  redis.call('XADD', m, fmt(last + i) .. '-0', 'j', ARGV[i + 4])
end
redis.call('HSET', s, 'last_seq', fmt(last + n), 'message_count', fmt(tonumber(h[2]) + n))
local t = touch()
return {'ok', fmt(last + 1), t[1], t[2], t[3]}
