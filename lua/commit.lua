--[[ commit: apply one workspace's change batch if the versions and unique keys it was computed from still hold.
  Variable key count (the caller passes numkeys). Every key belongs to one workspace and carries its hash tag.
  KEYS[1] meta hash   KEYS[2] unique hash   KEYS[3] timers zset   KEYS[4] events stream
  KEYS[5..] record hashes, creation-order zsets, index zsets and counter hashes, referred to by position
  ARGV[1] events kept at most (approximately)   ARGV[2] events with an id below this ms are trimmed
  ARGV[3] '1' = the batch deletes the workspace: remove every declared key once the batch is applied (the caller
          removes the workspace's index and counter keys, which are not declared, right after)
  ARGV[4] the earliest due the caller announced in the timer registry ahead of this commit ('' = none)
  ARGV[5..] eight sections in this order, each a count followed by that many fixed-size entries:
    expect  (record key #, kind, sid, version or '' = must not exist)
    put     (record key #, order key #, sid, version, created: '1' yes / '0' no / '?' unknown, record json)
    delete  (record key #, order key #, sid)
    index   ('add' or 'remove', index key #, member)
    unique  ('claim' or 'release', key, sid)
    counters (counter hash key #, field, delta) — a field back at zero is removed
    timers  ('set' or 'clear', timer id, due ms), each timer id at most once (the caller keeps the last)
    events  (event date ms, event json, '1' = stored relative to the batch's last event (event-codec.ts) / '0')
  ARGV[…] then, optionally, heads to read once the batch is applied (a freed worker's look for work):
          records key #, limit, count, then that many index key # (read as lua/rangeRecords.lua reads them)
  A record hash holds each record twice over: field <sid> its JSON, field v:<sid> its version, so one HSET writes
  both and a version is checked without decoding JSON.
  Returns {1} committed, or {1, earliest due} when the batch sets timers: the workspace's earliest timer as the
  caller should assume it from now on; with heads to read, {1, earliest due or false, the heads as rangeRecords
  returns them}; {-1, 'kind:sid', current version or ''} a record changed;
  {-2, unique key, holder sid} the key is held by another sid; {-3, '', earliest due or ''} a timer would come before
  every timer the workspace holds and before what the caller announced: announce it, then commit again.
  After a negative return nothing was written. ]]

--@include rangeHeads

local meta, unique, timers, events = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local cursor = 5
local function section(width)
  local count = tonumber(ARGV[cursor])
  local first = cursor + 1
  cursor = first + count * width
  return first, count
end

local expectAt, expectCount = section(4)
local putAt, putCount = section(6)
local deleteAt, deleteCount = section(3)
local indexAt, indexCount = section(3)
local uniqueAt, uniqueCount = section(3)
local counterAt, counterCount = section(3)
local timerAt, timerCount = section(3)
local eventAt, eventCount = section(3)
local headsRecords, headsLimit = ARGV[cursor], ARGV[cursor + 1]
local headsAt, headsCount
if headsRecords then
  cursor = cursor + 2
  headsAt, headsCount = section(1)
end

-- Checks first, writes after: a failed check must leave the workspace untouched.
for i = 0, expectCount - 1 do
  local at = expectAt + i * 4
  local current = redis.call('HGET', KEYS[tonumber(ARGV[at])], 'v:' .. ARGV[at + 2]) or ''
  if current ~= ARGV[at + 3] then return {-1, ARGV[at + 1] .. ':' .. ARGV[at + 2], current} end
end
for i = 0, uniqueCount - 1 do
  local at = uniqueAt + i * 3
  if ARGV[at] == 'claim' then
    local holder = redis.call('HGET', unique, ARGV[at + 1])
    if holder and holder ~= ARGV[at + 2] then return {-2, ARGV[at + 1], holder} end
  end
end

-- A batch names each timer once, so its sets and clears go out as one ZADD and one ZREM.
local set, clear, earliestSet = {}, {}, nil
for i = 0, timerCount - 1 do
  local at = timerAt + i * 3
  if ARGV[at] == 'set' then
    local due = tonumber(ARGV[at + 2])
    if not earliestSet or due < earliestSet then earliestSet = due end
    set[#set + 1] = ARGV[at + 2]
    set[#set + 1] = ARGV[at + 1]
  else
    clear[#clear + 1] = ARGV[at + 1]
  end
end
-- The registry scores the workspace at or before its earliest timer (timer-registry.ts). A timer at or after one the
-- workspace already holds needs no announcement; one before them all must have been announced first, so a process
-- dying right after this commit still leaves it findable.
if earliestSet then
  local head = redis.call('ZRANGE', timers, 0, 0, 'WITHSCORES')
  local held, announced = tonumber(head[2]), tonumber(ARGV[4])
  if (not held or held > earliestSet) and (not announced or announced > earliestSet) then
    return {-3, '', head[2] or ''}
  end
end

-- A record keeps the position it was created at; listing follows this order. One sequence bump serves the batch.
local created = {}
for i = 0, putCount - 1 do
  local at = putAt + i * 6
  local flag = ARGV[at + 4]
  if flag == '1' or (flag == '?' and not redis.call('ZSCORE', KEYS[tonumber(ARGV[at + 1])], ARGV[at + 2])) then
    created[#created + 1] = at
  end
end
if #created > 0 then
  local seq = redis.call('HINCRBY', meta, 'seq', #created) - #created
  for n, at in ipairs(created) do redis.call('ZADD', KEYS[tonumber(ARGV[at + 1])], seq + n, ARGV[at + 2]) end
end
for i = 0, putCount - 1 do
  local at = putAt + i * 6
  local sid = ARGV[at + 2]
  redis.call('HSET', KEYS[tonumber(ARGV[at])], sid, ARGV[at + 5], 'v:' .. sid, ARGV[at + 3])
end
for i = 0, deleteCount - 1 do
  local at = deleteAt + i * 3
  local sid = ARGV[at + 2]
  redis.call('HDEL', KEYS[tonumber(ARGV[at])], sid, 'v:' .. sid)
  redis.call('ZREM', KEYS[tonumber(ARGV[at + 1])], sid)
end
for i = 0, indexCount - 1 do
  local at = indexAt + i * 3
  local index = KEYS[tonumber(ARGV[at + 1])]
  if ARGV[at] == 'add' then
    redis.call('ZADD', index, 0, ARGV[at + 2])
  else
    redis.call('ZREM', index, ARGV[at + 2])
  end
end
for i = 0, uniqueCount - 1 do
  local at = uniqueAt + i * 3
  local key, sid = ARGV[at + 1], ARGV[at + 2]
  if ARGV[at] == 'claim' then
    redis.call('HSET', unique, key, sid)
  elseif redis.call('HGET', unique, key) == sid then
    redis.call('HDEL', unique, key)
  end
end
for i = 0, counterCount - 1 do
  local at = counterAt + i * 3
  local hash, field = KEYS[tonumber(ARGV[at])], ARGV[at + 1]
  if redis.call('HINCRBY', hash, field, ARGV[at + 2]) == 0 then redis.call('HDEL', hash, field) end
end
if #set > 0 then redis.call('ZADD', timers, unpack(set)) end
if #clear > 0 then redis.call('ZREM', timers, unpack(clear)) end
if eventCount > 0 then
  -- Stream ids follow event dates so age trimming and reads by date work on ids; a date older than the last id
  -- (another process's clock) takes the last id's millisecond with the next sequence number.
  local last = redis.call('HMGET', meta, 'eventMs', 'eventSeq')
  local ms, seq = tonumber(last[1]) or 0, tonumber(last[2]) or 0
  local lastMinute = math.floor(ms / 60000)
  local ids = {}
  for i = 0, eventCount - 1 do
    local date = tonumber(ARGV[eventAt + i * 3])
    if date > ms then ms, seq = date, 0 else seq = seq + 1 end
    ids[i] = string.format('%.0f-%.0f', ms, seq)
  end
  -- An event stored relative to the batch's last one names that one's entry, added in this same script.
  local base = ids[eventCount - 1]
  for i = 0, eventCount - 1 do
    local at = eventAt + i * 3
    if ARGV[at + 2] == '1' then
      redis.call('XADD', events, 'MAXLEN', '~', ARGV[1], ids[i], 'event', ARGV[at + 1], 'base', base)
    else
      redis.call('XADD', events, 'MAXLEN', '~', ARGV[1], ids[i], 'event', ARGV[at + 1])
    end
  end
  redis.call('HSET', meta, 'eventMs', string.format('%.0f', ms), 'eventSeq', string.format('%.0f', seq))
  -- Trimming by age walks the stream head: once a minute is often enough for a retention counted in days.
  if math.floor(ms / 60000) ~= lastMinute then redis.call('XTRIM', events, 'MINID', '~', ARGV[2]) end
end

if ARGV[3] == '1' then
  for i = 1, #KEYS do redis.call('UNLINK', KEYS[i]) end
end
-- The caller's hint for its next commit: whether to announce ahead or let this check vouch for it.
local earliest = earliestSet and redis.call('ZRANGE', timers, 0, 0, 'WITHSCORES')[2]
if headsRecords then
  local indexes = {}
  for i = 0, headsCount - 1 do indexes[i + 1] = KEYS[tonumber(ARGV[headsAt + i])] end
  return rangeHeads({1, earliest or false}, KEYS[tonumber(headsRecords)], indexes, '-', tonumber(headsLimit))
end
if earliest then return {1, earliest} end
return {1}
