-- ARGV[4] = form ('last', 'after', 'before'), ARGV[5] = seq, ARGV[6] = limit.
-- Returns {'not_found'} or {'ok', entries...} with entries newest first except for 'after'.
local h = redis.call('HMGET', s, 'version', 'expires_at')
if not h[1] or (h[2] ~= '' and now >= tonumber(h[2])) then return {'not_found'} end
local form, seq, limit = ARGV[4], ARGV[5], ARGV[6]
local entries
if form == 'none' then
  entries = {}
elseif form == 'last' then
  entries = redis.call('XREVRANGE', m, '+', '-', 'COUNT', limit)
elseif form == 'after' then
  entries = redis.call('XRANGE', m, '(' .. seq .. '-0', '+', 'COUNT', limit)
else
  entries = redis.call('XREVRANGE', m, '(' .. seq .. '-0', '-', 'COUNT', limit)
end
return {'ok', entries}
