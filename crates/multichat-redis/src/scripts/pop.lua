-- Removes the last message. Returns {'not_found'}, {'empty'}, {'corrupt', entry id, reason}
-- (nothing changed: an entry that is not a message of this store, or a count that would go
-- below zero) or {'ok', id, json, updated, expires, parts}.
local cur = load()
if not live(cur) then return {'not_found'} end
local last = redis.call('XREVRANGE', m, '+', '-', 'COUNT', 1)
if #last == 0 then return {'empty'} end
local fields = last[1][2]
if fields[1] ~= 'j' or type(fields[2]) ~= 'string' then
  return {'corrupt', last[1][1], 'not an entry this store writes'}
end
local decoded, message = pcall(cjson.decode, fields[2])
if not decoded or type(message) ~= 'table' or type(message.content) ~= 'string' then
  return {'corrupt', last[1][1], 'its message does not decode'}
end
if (tonumber(cur.message_count) or 0) < 1 then
  return {'corrupt', last[1][1], 'message_count ' .. tostring(cur.message_count) .. ' cannot go lower'}
end
can_touch(cur)
redis.call('XDEL', m, last[1][1])
-- Its client key may be used again (docs/semantics.md).
if type(message.key) == 'string' then redis.call('HDEL', k, message.key) end
local t = touch(cur, {'message_count', fmt(tonumber(cur.message_count) - 1)})
return {'ok', last[1][1], last[1][2][2], t[1], t[2], t[3]}
