-- Compare-and-append of a batch of messages to each of one or more sessions: the hot path, so
-- written out in full instead of through common.lua's helpers (their closures and field table
-- cost more per call on the server: docs/benchmarks.md, "Design decisions"). Same rules as common.lua's
-- load/live/touch/index, including the skipped index writes when neither updated_at nor
-- expires_at changed.
-- KEYS = session hash, message stream, client keys of each session (all in one slot per session;
-- several sessions only on one server, never in Cluster mode). ARGV[1] = index key prefix,
-- ARGV[2] = '1' in Cluster mode, then per session: now (ms), expected last_seq or '', session
-- id, n, n messages (JSON without seq), kn, kn pairs (position in the batch, client key). Per
-- session the reply is {'not_found'}, {'conflict', last_seq}, {'key_conflict', key, seq}, the
-- error of a key of the wrong type (nothing written), or the first seq: a bare integer (cheaper
-- than a table reply), or {'ok', first seq, updated_at, expires_at, participants} in Cluster
-- mode (the client updates the indexes). A batch with keys (kn > 0) answers
-- {'keyed', first fresh seq, the seq of each message (comma-separated), then as 'ok'}. One session: its reply; several: the array of their replies, so
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

-- A stream entry's JSON without its time: what a retry must match (the client writes the
-- fields in a fixed order, content first, so the first created_at is the entry's own).
local function untimed(j)
  return (string.gsub(j, ',"created_at":%-?%d+', '', 1))
end

-- The batch positions (from ARGV[at], kn pairs) whose key a stored message of the same content
-- holds: {held = {position = seq}, count = n}, or {reply = ...} for a key held by other content
-- or a keys hash of the wrong type (nothing written).
local function resolve(k, m, a, at, kn)
  local held, count = {}, 0
  for j = 0, kn - 1 do
    local pos, key = tonumber(ARGV[at + 2 * j]), ARGV[at + 2 * j + 1]
    local seq = redis.pcall('HGET', k, key)
    if type(seq) == 'table' then return {reply = seq} end
    if seq then
      local e = redis.call('XRANGE', m, seq .. '-0', seq .. '-0')
      if #e == 1 and e[1][2][1] == 'j' then
        if untimed(e[1][2][2]) ~= untimed(ARGV[a + 3 + pos]) then
          return {reply = {'key_conflict', key, seq}}
        end
        held[pos], count = tonumber(seq), count + 1
      end
    end
  end
  return {held = held, count = count}
end

-- The seq of each of the `total` messages of a batch, comma-separated: `held[i]` for a retried
-- one, the next seq after `last` for each other.
local function seqs(held, total, last)
  local out, next = {}, last
  for i = 1, total do
    if not held[i] then next = next + 1 end
    out[i] = format('%d', held[i] or next)
  end
  return table.concat(out, ',')
end

-- Appends the messages of the session whose arguments start at ARGV[a].
local function append(s, m, k, a)
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
  local total = tonumber(ARGV[a + 3])
  local kn = tonumber(ARGV[a + 4 + total])
  local held, n = {}, total
  if kn > 0 then
    local r = resolve(k, m, a, a + 5 + total, kn)
    if r.reply then return r.reply end
    held, n = r.held, total - r.count
  end
  local list = kn > 0 and seqs(held, total, last)
  -- A retry of what is stored: nothing written, no compare (docs/semantics.md).
  if n == 0 then return {'keyed', last + 1, list} end
  if ARGV[a + 1] ~= '' and tonumber(ARGV[a + 1]) ~= last then return {'conflict', h[6]} end
  -- The ceiling of multichat_core::MAX_COUNTER (2^53 - 1), checked before anything is written.
  if last + n > 9007199254740991 or tonumber(h[7]) + n > 9007199254740991
    or tonumber(h[1]) + 1 > 9007199254740991 then
    return {err = 'MCCORRUPT a counter of this session passes the ceiling'}
  end
  local next = last
  for i = 1, total do
    if not held[i] then
      next = next + 1
      local added = redis.pcall('XADD', m, format('%d-0', next), 'j', ARGV[a + 3 + i])
      -- Only the first XADD can fail (ids ascend from a top below last + 1), so nothing was
      -- written: an entry at or past last + 1 that this store did not write is 'corrupt'.
      if type(added) == 'table' then
        if added.err and string.find(added.err, 'equal or smaller', 1, true) then
          return {'corrupt', format('%d', last + 1)}
        end
        return added
      end
    end
  end
  if kn > 0 then
    local at, next, fresh = a + 5 + total, last, {}
    for i = 1, total do
      if not held[i] then next = next + 1; fresh[i] = next end
    end
    for j = 0, kn - 1 do
      local seq = fresh[tonumber(ARGV[at + 2 * j])]
      if seq then redis.call('HSET', k, ARGV[at + 2 * j + 1], format('%d', seq)) end
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
    redis.call('PEXPIREAT', k, expires)
  elseif h[2] ~= '' then
    redis.call('PERSIST', s)
    redis.call('PERSIST', m)
    redis.call('PERSIST', k)
  end
  if cluster then
    -- Wakes the watches of every process (a stream read cannot span the cluster's slots): the
    -- message goes to every node, and a store's watch listener subscribes on one.
    redis.call('PUBLISH', ix .. 'appended', ARGV[a + 2])
    -- Nothing the indexes hold changed: nothing for the client to write to other nodes.
    local head = {'ok', last + 1}
    if kn > 0 then head = {'keyed', last + 1, list} end
    if not same then
      for _, v in ipairs({format('%d', updated), expires, h[8], h[2]}) do head[#head + 1] = v end
    end
    return head
  end
  if not same then index(ARGV[a + 2], h[8], updated, expires, h[2]) end
  if kn > 0 then return {'keyed', last + 1, list} end
  return last + 1
end

local a, out = 3, {}
for i = 1, #KEYS / 3 do
  out[i] = append(KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i], a)
  local n = tonumber(ARGV[a + 3])
  a = a + 5 + n + 2 * tonumber(ARGV[a + 4 + n])
end
if #out == 1 then return out[1] end
return out
