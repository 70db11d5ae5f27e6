-- Compare-and-set of a patched session. ARGV[4] = the version the client read,
-- ARGV[5..] = field, value pairs (times, version and expiry already computed by the client).
local cur = load()
if not live(cur) then return {'not_found'} end
if cur.version ~= ARGV[4] then return {'retry'} end
unindex(cur.id, cur.participants)
local h = put(5)
return {'ok', h[2], h[3], h[4], cur.participants}
