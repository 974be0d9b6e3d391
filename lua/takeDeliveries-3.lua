--[[ takeDeliveries-3: hand entries of one workspace's events stream to a consumer of a delivery group.
  KEYS[1] events stream   KEYS[2] retries zset (stream id scored by due ms)   KEYS[3] order lease
  ARGV[1] group   ARGV[2] consumer   ARGV[3] now ms   ARGV[4] most entries to hand out
  ARGV[5] lease ms: a taken entry left this long without renewal counts as abandoned by its taker
  ARGV[6] '1' = ordered: take only while holding the order lease, which is taken here when free and kept while an
          entry is out (so one consumer at a time works through the workspace, oldest first)
  ARGV[7] most entries the group may have pending (taken or waiting for a retry): past it no new entry is read
  ARGV[8] cursor of the scan for abandoned entries ('0-0' starts over)
  Returns {state, cursor, pending, gone, id, deliveries, json, base json, id, deliveries, json, base json, ...}
    state       'open'; 'closed' when the group does not exist; 'held' when another consumer holds the order lease
    cursor      where the next scan for abandoned entries starts
    pending     entries the group has pending after this take
    gone        pending entries found trimmed from the stream meanwhile; they leave the group
    then each entry handed out: its stream id, how often it has been handed out (1 the first time), event JSON, and
    the JSON of the entry it names as `base` ('' when none; an entry whose base was trimmed goes as gone)
  Due retries come first, then abandoned entries, then new ones: the oldest work first. ]]

local stream, retries, order = KEYS[1], KEYS[2], KEYS[3]
local group, consumer, now, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local leaseMs, ordered, cap, cursor = ARGV[5], ARGV[6] == '1', tonumber(ARGV[7]), ARGV[8]

local summary = redis.pcall('XPENDING', stream, group)
if summary.err then return {'closed', '0-0', 0, 0} end
local pending = summary[1]

local holder = ordered and redis.call('GET', order)
if holder and holder ~= consumer then return {'held', cursor, pending, 0} end

local out, handed, gone = {}, 0, 0

local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
end

local function handOut(entry, deliveries)
  local event, base = field(entry[2], 'event'), field(entry[2], 'base')
  local baseEvent = ''
  if event and base then
    local found = redis.call('XRANGE', stream, base, base)[1]
    baseEvent = found and field(found[2], 'event')
    -- Trimming takes the stream's head and the base comes after its events, so only a deleted base is missing.
    if not baseEvent then
      redis.call('XACK', stream, group, entry[1])
      pending, gone = pending - 1, gone + 1
      return
    end
  end
  if event then
    out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4] = entry[1], deliveries, event, baseEvent
    handed = handed + 1
    return
  end
  -- Not an event entry: nothing to deliver.
  redis.call('XACK', stream, group, entry[1])
  pending = pending - 1
end

-- Claims a pending entry for this consumer, counting one more delivery; false when it was trimmed away.
local function claim(id)
  local claimed = redis.call('XCLAIM', stream, group, consumer, 0, id)
  local entry = claimed[1]
  if not entry or not entry[2] then
    redis.call('XACK', stream, group, id)
    pending, gone = pending - 1, gone + 1
    return
  end
  local info = redis.call('XPENDING', stream, group, id, id, 1)[1]
  handOut(entry, info and info[4] or 1)
end

for _, id in ipairs(redis.call('ZRANGEBYSCORE', retries, '-inf', now, 'LIMIT', 0, limit)) do
  redis.call('ZREM', retries, id)
  claim(id)
end

if handed < limit then
  -- JUSTID: only the claims below count a delivery. Entries waiting for a retry look abandoned too; they stay with
  -- their retry time (the scan just resets how long they have been idle).
  local scan = redis.call('XAUTOCLAIM', stream, group, consumer, leaseMs, cursor, 'COUNT', limit - handed, 'JUSTID')
  cursor = scan[1]
  for _, id in ipairs(scan[2]) do
    if not redis.call('ZSCORE', retries, id) then claim(id) end
  end
  for _, id in ipairs(scan[3] or {}) do
    redis.call('ZREM', retries, id)
    pending, gone = pending - 1, gone + 1
  end
end

local room = math.min(limit - handed, cap - pending)
if room > 0 then
  local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', room, 'STREAMS', stream, '>')
  if read then
    for _, entry in ipairs(read[1][2]) do
      pending = pending + 1
      handOut(entry, 1)
    end
  end
end

if ordered then
  if handed > 0 then
    redis.call('SET', order, consumer, 'PX', leaseMs)
  elseif holder then
    redis.call('DEL', order)
  end
end

local reply = {'open', cursor, pending, gone}
for i = 1, #out do reply[#reply + 1] = out[i] end
return reply
