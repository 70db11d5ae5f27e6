-- ARGV[4..] = field, value pairs of the whole session record; its messages are kept.
local old = redis.call('HGET', s, 'participants')
if old then unindex(redis.call('HGET', s, 'id'), old) end
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', s, unpack(fields))
local h = redis.call('HMGET', s, 'id', 'updated_at', 'expires_at', 'participants')
expire(h[3])
index(h[1], tonumber(h[2]), h[3], h[4], '')
return {'ok', h[2], h[3], h[4], old or '[]'}
