-- ARGV[4..] = field, value pairs of the new session hash.
local cur = load()
if live(cur) then return {'exists'} end
local old = '[]'
if cur then
  remove(cur)
  old = cur.participants
end
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', s, unpack(fields))
local h = redis.call('HMGET', s, 'id', 'updated_at', 'expires_at', 'participants')
if h[3] ~= '' then expire(h[3]) end
index(h[1], tonumber(h[2]), h[3], h[4], '')
return {'ok', h[2], h[3], h[4], old}
