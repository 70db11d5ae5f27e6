-- Removes every message. Returns {'not_found'} or {'ok', removed, updated, expires, parts}.
local cur = load()
if not live(cur) then return {'not_found'} end
local n = tonumber(cur.message_count)
if n == 0 then return {'ok', '0'} end
can_touch(cur)
redis.call('DEL', m, k)
local t = touch(cur, {'message_count', '0'})
return {'ok', fmt(n), t[1], t[2], t[3]}
