-- Returns {'absent'} or {'live' | 'expired', participants}. With ARGV[4] = 'expired-only', a live
-- session is kept ({'kept'}): that is purge.
local st = state()
if st == 'absent' then return {'absent'} end
if st == 'live' and ARGV[4] == 'expired-only' then return {'kept'} end
return {st, remove()}
