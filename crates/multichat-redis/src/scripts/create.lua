-- ARGV[4..] = field, value pairs of the new session hash.
local cur = load()
if live(cur) then return {'exists'} end
local old = '[]'
if cur then
  remove(cur)
  old = cur.participants
end
local h = put(4)
return {'ok', h[2], h[3], h[4], old}
