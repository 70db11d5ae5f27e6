-- Shared by every multichat script. KEYS[1] = session hash, KEYS[2] = message stream, KEYS[3] =
-- client keys (hash: key -> seq), all in one slot.
-- ARGV[1] = now (ms), ARGV[2] = index key prefix, ARGV[3] = '1' in Cluster mode (indexes are then
-- updated by the client after the script, as they live on other slots).
local s, m, k = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[1])
local ix = ARGV[2]
local cluster = ARGV[3] == '1'

-- Integers as text: '%d' is exact for every integer a double holds and costs a third of '%.0f'
-- (tostring would switch to an exponent past 10^14).
local format = string.format
local function fmt(x) return format('%d', x) end

-- The fields holding a count or a time (optional ones may be empty), by their HMGET position.
local numbers = {{1, 'version'}, {3, 'updated_at'}, {8, 'last_seq'}, {9, 'message_count'}}
local optional = {{2, 'expires_at'}, {4, 'ttl'}, {5, 'deadline'}}

-- The largest counter (multichat_core::MAX_COUNTER, 2^53 - 1): every integer up to it is exact.
local MAXC = 9007199254740991

-- Raises a MCCORRUPT error (nothing written yet) naming the first field of `h` that is not a
-- decimal integer every backend can hold (counters at most MAXC, times at most 16 digits).
local function check(h)
  for _, f in ipairs(numbers) do
    local v = h[f[1]]
    if not v or #v > 16 or not string.find(v, '^%d+$') or tonumber(v) > MAXC then
      error({err = 'MCCORRUPT field ' .. f[2] .. ' is not a counter: ' .. tostring(v)})
    end
  end
  for _, f in ipairs(optional) do
    local v = h[f[1]]
    if v and v ~= '' and (#v > 16 or not string.find(v, '^%d+$')) then
      error({err = 'MCCORRUPT field ' .. f[2] .. ' is not a time: ' .. v})
    end
  end
end

-- The session's fields by name, or nil. HMGET fails with WRONGTYPE on a foreign key, so a key
-- this store did not write is never overwritten; counters that are not numbers are MCCORRUPT
-- unless `any` (delete removes whatever is there).
local function load(any)
  local h = redis.call('HMGET', s, 'version', 'expires_at', 'updated_at', 'ttl', 'deadline', 'id',
    'participants', 'last_seq', 'message_count')
  if not h[1] then return nil end
  if not any then check(h) end
  return {version = h[1], expires_at = h[2], updated_at = h[3], ttl = h[4], deadline = h[5],
    id = h[6], participants = h[7], last_seq = h[8], message_count = h[9]}
end

local function live(cur)
  if cur == nil or cur.expires_at == '' then return cur ~= nil end
  local at = tonumber(cur.expires_at)
  return at ~= nil and now < at
end

-- pcall here and in unindex: the session is written by then, so an index key of the wrong type
-- must not fail a call that has committed.
local function index(id, updated, expires, parts, old_expires)
  if cluster then return end
  local score = fmt(-updated)
  redis.pcall('ZADD', ix .. 'updated', 'LT', score, id)
  if parts ~= '[]' then
    for _, p in ipairs(cjson.decode(parts)) do redis.pcall('ZADD', ix .. 'p:' .. p, 'LT', score, id) end
  end
  if expires ~= '' then
    redis.pcall('ZADD', ix .. 'expiry', expires, id)
  elseif old_expires ~= '' then
    redis.pcall('ZREM', ix .. 'expiry', id)
  end
end

local function unindex(id, parts)
  if cluster then return end
  redis.pcall('ZREM', ix .. 'updated', id)
  redis.pcall('ZREM', ix .. 'expiry', id)
  local decoded, list = pcall(cjson.decode, parts)
  if not decoded or type(list) ~= 'table' then return end
  for _, p in ipairs(list) do redis.pcall('ZREM', ix .. 'p:' .. p, id) end
end

-- Sets the expiry of the session's keys, always together.
local function expire(expires)
  if expires == '' then
    redis.call('PERSIST', s)
    redis.call('PERSIST', m)
    redis.call('PERSIST', k)
  else
    redis.call('PEXPIREAT', s, expires)
    redis.call('PEXPIREAT', m, expires)
    redis.call('PEXPIREAT', k, expires)
  end
end

-- Raises a MCCORRUPT error (nothing written yet) when a write could not count one more version.
local function can_touch(cur)
  if tonumber(cur.version) + 1 > MAXC then
    error({err = 'MCCORRUPT version ' .. cur.version .. ' + 1 passes the ceiling'})
  end
end

-- A write: `extra` field/value pairs, plus version + 1, updated_at = max(updated_at, now), an
-- idle expiry that slides; one HSET; the index entries, unless updated_at and expires_at stayed. Returns what the client needs for the indexes in Cluster mode.
local function touch(cur, extra)
  local updated = math.max(tonumber(cur.updated_at), now)
  local expires = ''
  if cur.ttl ~= '' then expires = fmt(updated + tonumber(cur.ttl)) elseif cur.deadline ~= '' then expires = cur.deadline end
  local text = fmt(updated)
  local n = #extra
  extra[n + 1], extra[n + 2], extra[n + 3] = 'updated_at', text, 'expires_at'
  extra[n + 4], extra[n + 5], extra[n + 6] = expires, 'version', fmt(tonumber(cur.version) + 1)
  redis.call('HSET', s, unpack(extra))
  if expires ~= '' or cur.expires_at ~= '' then expire(expires) end
  -- Within the same millisecond as the previous write nothing the indexes hold has changed.
  if updated ~= tonumber(cur.updated_at) or expires ~= cur.expires_at then
    index(cur.id, updated, expires, cur.participants, cur.expires_at)
  end
  return {text, expires, cur.participants}
end

-- Writes the field/value pairs ARGV[from..] (a record built by the client), sets the expiry of
-- both keys from it and indexes it. Returns id, updated_at, expires_at, participants.
local function put(from)
  redis.call('HSET', s, unpack(ARGV, from))
  local h = redis.call('HMGET', s, 'id', 'updated_at', 'expires_at', 'participants')
  expire(h[3])
  index(h[1], tonumber(h[2]), h[3], h[4], '')
  return h
end

-- Deletes the session and its messages.
local function remove(cur)
  redis.call('DEL', s, m, k)
  unindex(cur.id, cur.participants)
end
