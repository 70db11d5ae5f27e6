-- Removes every message. Returns {'not_found'} or {'ok', removed, updated, expires, parts}.
if state() ~= 'live' then return {'not_found'} end
local n = tonumber(redis.call('HGET', s, 'message_count'))
if n == 0 then return {'ok', '0'} end
redis.call('DEL', m)
redis.call('HSET', s, 'message_count', '0')
local t = touch()
return {'ok', fmt(n), t[1], t[2], t[3]}
