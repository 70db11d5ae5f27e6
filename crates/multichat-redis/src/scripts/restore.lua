-- ARGV[4..] = field, value pairs of the whole session record; its messages are kept.
local old = redis.call('HGET', s, 'participants')
if old then unindex(redis.call('HGET', s, 'id'), old) end
local h = put(4)
return {'ok', h[2], h[3], h[4], old or '[]'}
