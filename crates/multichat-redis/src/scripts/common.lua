-- Shared by every multichat script. KEYS[1] = session hash, KEYS[2] = message stream (same slot).
-- ARGV[1] = now (ms), ARGV[2] = index key prefix, ARGV[3] = '1' in Cluster mode (indexes are then
-- updated by the client after the script, as they live on other slots).
local s, m = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
local ix = ARGV[2]
local cluster = ARGV[3] == '1'

local function fmt(x) return string.format('%.0f', x) end

local FIELDS = {'version', 'expires_at', 'updated_at', 'ttl', 'deadline', 'id', 'participants', 'last_seq', 'message_count'}

-- The session's fields by name, or nil. HMGET fails with WRONGTYPE on a foreign key, so a key
-- this store did not write is never overwritten.
local function load()
  local h = redis.call('HMGET', s, unpack(FIELDS))
  if not h[1] then return nil end
  local cur = {}
  for i, f in ipairs(FIELDS) do cur[f] = h[i] end
  return cur
end

local function live(cur)
  return cur ~= nil and (cur.expires_at == '' or now < tonumber(cur.expires_at))
end

local function index(id, updated, expires, parts, old_expires)
  if cluster then return end
  redis.call('ZADD', ix .. 'updated', 'LT', fmt(-updated), id)
  for _, p in ipairs(cjson.decode(parts)) do redis.call('ZADD', ix .. 'p:' .. p, 'LT', fmt(-updated), id) end
  if expires ~= '' then
    redis.call('ZADD', ix .. 'expiry', expires, id)
  elseif old_expires ~= '' then
    redis.call('ZREM', ix .. 'expiry', id)
  end
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

-- A write: `extra` field/value pairs, plus version + 1, updated_at = max(updated_at, now), an
-- idle expiry that slides; one HSET. Returns what the client needs for the indexes in Cluster mode.
local function touch(cur, extra)
  local updated = math.max(tonumber(cur.updated_at), now)
  local expires = ''
  if cur.ttl ~= '' then expires = fmt(updated + tonumber(cur.ttl)) elseif cur.deadline ~= '' then expires = cur.deadline end
  for _, v in ipairs({'updated_at', fmt(updated), 'expires_at', expires, 'version', fmt(tonumber(cur.version) + 1)}) do
    extra[#extra + 1] = v
  end
  redis.call('HSET', s, unpack(extra))
  if expires ~= '' or cur.expires_at ~= '' then expire(expires) end
  index(cur.id, updated, expires, cur.participants, cur.expires_at)
  return {fmt(updated), expires, cur.participants}
end

-- Deletes the session and its messages.
local function remove(cur)
  redis.call('DEL', s, m)
  unindex(cur.id, cur.participants)
end
