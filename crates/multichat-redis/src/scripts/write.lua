-- Compare-and-set of a patched session. ARGV[4] = the version the client read,
-- ARGV[5..] = field, value pairs (times, version and expiry already computed by the client).
local cur = load()
if not live(cur) then return {'not_found'} end
if cur.version ~= ARGV[4] then return {'retry'} end
unindex(cur.id, cur.participants)
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', s, unpack(fields))
local h = redis.call('HMGET', s, 'id', 'updated_at', 'expires_at', 'participants')
expire(h[3])
index(h[1], tonumber(h[2]), h[3], h[4], '')
return {'ok', h[2], h[3], h[4], cur.participants}
