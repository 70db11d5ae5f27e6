-- ARGV[4] = expected last_seq or '', ARGV[5..] = messages (JSON without seq).
local cur = load()
if not live(cur) then return {'not_found'} end
local last = tonumber(cur.last_seq)
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= last then return {'conflict', fmt(last)} end
local n = #ARGV - 4
for i = 1, n do
  redis.call('XADD', m, fmt(last + i) .. '-0', 'j', ARGV[i + 4])
end
local t = touch(cur, {'last_seq', fmt(last + n), 'message_count', fmt(tonumber(cur.message_count) + n)})
return {'ok', fmt(last + 1), t[1], t[2], t[3]}
