-- Shared by every multichat script. KEYS[1] = session hash, KEYS[2] = message stream (same slot).
-- ARGV[1] = now (ms), ARGV[2] = index key prefix, ARGV[3] = '1' in Cluster mode (indexes are then
-- updated by the client after the script, as they live on other slots).
local s, m = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
local ix = ARGV[2]
local cluster = ARGV[3] == '1'

local function fmt(x) return string.format('%.0f', x) end

-- 'absent', 'expired' or 'live'. HMGET fails with WRONGTYPE on a foreign key: never overwritten.
local function state()
  local h = redis.call('HMGET', s, 'version', 'expires_at')
  if not h[1] then return 'absent' end
  if h[2] ~= '' and now >= tonumber(h[2]) then return 'expired' end
  return 'live'
end

local function index(id, updated, expires, parts)
  if cluster then return end
  redis.call('ZADD', ix .. 'updated', 'LT', fmt(-updated), id)
  for _, p in ipairs(cjson.decode(parts)) do redis.call('ZADD', ix .. 'p:' .. p, 'LT', fmt(-updated), id) end
  if expires == '' then redis.call('ZREM', ix .. 'expiry', id) else redis.call('ZADD', ix .. 'expiry', expires, id) end
end

local function unindex(id, parts)
  if cluster then return end
  redis.call('ZREM', ix .. 'updated', id)
  redis.call('ZREM', ix .. 'expiry', id)
  for _, p in ipairs(cjson.decode(parts)) do redis.call('ZREM', ix .. 'p:' .. p, id) end
end

-- Sets the expiry of both keys, always together.
local function expire(expires)
  if expires == '' then
    redis.call('PERSIST', s)
    redis.call('PERSIST', m)
  else
    redis.call('PEXPIREAT', s, expires)
    redis.call('PEXPIREAT', m, expires)
  end
end

-- A write: version + 1, updated_at = max(updated_at, now), idle expiry slides. Returns what the
-- client needs to update the indexes in Cluster mode.
local function touch()
  local h = redis.call('HMGET', s, 'updated_at', 'ttl', 'deadline', 'version', 'id', 'participants')
  local updated = math.max(tonumber(h[1]), now)
  local expires = ''
  if h[2] ~= '' then expires = fmt(updated + tonumber(h[2])) elseif h[3] ~= '' then expires = h[3] end
  redis.call('HSET', s, 'updated_at', fmt(updated), 'expires_at', expires, 'version', fmt(tonumber(h[4]) + 1))
  expire(expires)
  index(h[5], updated, expires, h[6])
  return {fmt(updated), expires, h[6]}
end

-- Deletes the session and its messages; returns its participants.
local function remove()
  local h = redis.call('HMGET', s, 'id', 'participants')
  redis.call('DEL', s, m)
  unindex(h[1], h[2])
  return h[2]
end
