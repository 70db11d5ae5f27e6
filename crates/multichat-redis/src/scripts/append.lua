-- Compare-and-append of a batch of messages to each of one or more sessions: the hot path, so
-- written out in full instead of through common.lua's helpers (their closures and field table
-- cost more per call on the server: docs/benchmarks.md, "Design decisions"). Same rules as common.lua's
-- load/live/touch/index, including the skipped index writes when neither updated_at nor
-- expires_at changed.
-- KEYS = session hash, message stream of each session (both in one slot per session; several
-- sessions only on one server, never in Cluster mode). ARGV[1] = index key prefix, ARGV[2] = '1'
-- in Cluster mode, then per session: now (ms), expected last_seq or '', session id, n, n messages
-- (JSON without seq). Per session the reply is {'not_found'}, {'conflict', last_seq}, the error
-- of a key of the wrong type (nothing written), or the first seq: a bare integer (cheaper than a
-- table reply), or {'ok', first seq, updated_at, expires_at, participants} in Cluster mode
-- (the client updates the indexes). One session: its reply; several: the array of their replies, so
-- one session's failure never touches another's append.
local ix, cluster = ARGV[1], ARGV[2] == '1'
local format = string.format

-- Updates the listing, participant and expiry indexes of session `id` (its participants as JSON).
-- pcall: the session is written already, so an index key of the wrong type (not written by this
-- store) must not fail the call: the append is committed and returns its seqs; the listing's
-- repair covers an index that lags.
-- The id comes from the client, which derived the session's keys from it; the participants from
-- the append's one HMGET (a second HMGET would cost every append made in a later millisecond
-- than its session's previous write).
local function index(id, participants, updated, expires, old_expires)
  local score = format('-%d', updated)
  redis.pcall('ZADD', ix .. 'updated', 'LT', score, id)
  if participants ~= '[]' then
    for _, p in ipairs(cjson.decode(participants)) do redis.pcall('ZADD', ix .. 'p:' .. p, 'LT', score, id) end
  end
  if expires ~= '' then
    redis.pcall('ZADD', ix .. 'expiry', expires, id)
  elseif old_expires ~= '' then
    redis.pcall('ZREM', ix .. 'expiry', id)
  end
end

-- Appends the messages of the session whose arguments start at ARGV[a].
local function append(s, m, a)
  local now = tonumber(ARGV[a])
  -- pcall: a key of the wrong type (not written by this store) fails this session alone, untouched.
  local h = redis.pcall('HMGET', s, 'version', 'expires_at', 'updated_at', 'ttl', 'deadline',
    'last_seq', 'message_count', 'participants')
  if h.err then return h end
  if not h[1] or (h[2] ~= '' and now >= tonumber(h[2])) then return {'not_found'} end
  local last = tonumber(h[6])
  -- Counters that are not numbers (written by another program): 'corrupt' naming the field,
  -- nothing written. The full check is in common.lua; these are the fields this path adds to.
  if not last or not tonumber(h[7]) or not tonumber(h[1]) or not tonumber(h[3]) then
    return {err = 'MCCORRUPT a counter of this session is not a number'}
  end
  if ARGV[a + 1] ~= '' and tonumber(ARGV[a + 1]) ~= last then return {'conflict', h[6]} end
  local n = tonumber(ARGV[a + 3])
  -- The ceiling of multichat_core::MAX_COUNTER (2^53 - 1), checked before anything is written.
  if last + n > 9007199254740991 or tonumber(h[7]) + n > 9007199254740991
    or tonumber(h[1]) + 1 > 9007199254740991 then
    return {err = 'MCCORRUPT a counter of this session passes the ceiling'}
  end
  for i = 1, n do
    local added = redis.pcall('XADD', m, format('%d-0', last + i), 'j', ARGV[a + 3 + i])
    -- Only the first XADD can fail (ids ascend from a top below last + 1), so nothing was
    -- written: an entry at or past last + 1 that this store did not write is 'corrupt'.
    if type(added) == 'table' then
      if added.err and string.find(added.err, 'equal or smaller', 1, true) then
        return {'corrupt', format('%d', last + 1)}
      end
      return added
    end
  end
  local before = tonumber(h[3])
  local updated = math.max(before, now)
  local expires = ''
  if h[4] ~= '' then expires = format('%d', updated + tonumber(h[4])) elseif h[5] ~= '' then expires = h[5] end
  -- Within the same millisecond as the previous write neither updated_at, expires_at nor anything
  -- the indexes hold changes: three fields to write instead of five, no index writes.
  local same = updated == before and expires == h[2]
  local seq, count, version = format('%d', last + n), format('%d', tonumber(h[7]) + n),
    format('%d', tonumber(h[1]) + 1)
  if same then
    redis.call('HSET', s, 'last_seq', seq, 'message_count', count, 'version', version)
  else
    redis.call('HSET', s, 'last_seq', seq, 'message_count', count, 'version', version, 'updated_at',
      format('%d', updated), 'expires_at', expires)
  end
  if expires ~= '' then
    redis.call('PEXPIREAT', s, expires)
    redis.call('PEXPIREAT', m, expires)
  elseif h[2] ~= '' then
    redis.call('PERSIST', s)
    redis.call('PERSIST', m)
  end
  if cluster then
    -- Wakes the watches of every process (a stream read cannot span the cluster's slots): the
    -- message goes to every node, and a store's watch listener subscribes on one.
    redis.call('PUBLISH', ix .. 'appended', ARGV[a + 2])
    -- Nothing the indexes hold changed: nothing for the client to write to other nodes.
    if same then return {'ok', last + 1} end
    return {'ok', last + 1, format('%d', updated), expires, h[8], h[2]}
  end
  if not same then index(ARGV[a + 2], h[8], updated, expires, h[2]) end
  return last + 1
end

local a, out = 3, {}
for k = 1, #KEYS / 2 do
  out[k] = append(KEYS[2 * k - 1], KEYS[2 * k], a)
  a = a + 4 + tonumber(ARGV[a + 3])
end
if #out == 1 then return out[1] end
return out
