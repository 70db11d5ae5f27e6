-- Returns {'absent'} or {'live' | 'expired', participants}. With ARGV[4] = 'expired-only', a live
-- session is kept ({'kept'}): that is purge.
local cur = load(true)
if not cur then return {'absent'} end
local st = live(cur) and 'live' or 'expired'
if st == 'live' and ARGV[4] == 'expired-only' then return {'kept'} end
remove(cur)
return {st, cur.participants}
