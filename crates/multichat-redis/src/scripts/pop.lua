-- Removes the last message. Returns {'not_found'}, {'empty'} or {'ok', id, json, updated, expires, parts}.
local cur = load()
if not live(cur) then return {'not_found'} end
local last = redis.call('XREVRANGE', m, '+', '-', 'COUNT', 1)
if #last == 0 then return {'empty'} end
redis.call('XDEL', m, last[1][1])
local t = touch(cur, {'message_count', fmt(tonumber(cur.message_count) - 1)})
return {'ok', last[1][1], last[1][2][2], t[1], t[2], t[3]}
