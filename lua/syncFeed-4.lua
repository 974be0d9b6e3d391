--[[ syncFeed-4: open or close one workspace's delivery group so that it exists exactly while the workspace has a
  receiver, read from its records in the same slot (so no stale read can reopen or close it wrongly).
  KEYS[1] events stream   KEYS[2] record hash deciding (the gate)   KEYS[3] retries zset   KEYS[4] order lease
  ARGV[1] group   ARGV[2] sid of the deciding record, or '' when any record of the hash may decide
  ARGV[3] JSON property naming the receiver: the workspace has one while a deciding record holds a non-empty string
  ARGV[4] ms: a group opened now delivers no entry older than this (no old backlog)
  ARGV[5] ms: consumers idle longer than this with nothing pending are removed (processes that went away)
  Returns 2 opened now; 1 open already; 0 closed already; -1 closed now.
  A group opens at the last update of the record that names the receiver (the earliest such record), so events
  committed between that update and the opening are delivered too, but never before ARGV[4]. Closing drops the
  group's pending entries, retries and order lease: turning the receiver on again later starts afresh. ]]

local stream, gate, retries, order = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local group, sid, property = ARGV[1], ARGV[2], ARGV[3]

--@include decodeJson

-- When the record set its receiver, as far as it tells (its last update); nil when it names none.
local function receiverSince(json)
  local record = decodeJson(json)
  local value = record[property]
  if type(value) ~= 'string' or value == '' then return nil end
  return tonumber(record.dateUpdated) or 0
end

local since
if sid ~= '' then
  local json = redis.call('HGET', gate, sid)
  if json then since = receiverSince(json) end
else
  -- The hash keeps each record's version beside it (field v:<sid>); only record fields decide.
  local fields = redis.call('HGETALL', gate)
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 2) ~= 'v:' then
      local at = receiverSince(fields[i + 1])
      if at and (not since or at < since) then since = at end
    end
  end
end

local exists = false
if redis.call('EXISTS', stream) == 1 then
  for _, info in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    if info[2] == group then exists = true end
  end
end

if not since then
  if exists then
    redis.call('XGROUP', 'DESTROY', stream, group)
    redis.call('DEL', retries, order)
    return -1
  end
  return 0
end

if not exists then
  local from = math.max(since, tonumber(ARGV[4]))
  -- The largest sequence number of the millisecond before: every entry of `from` onward is still to be read.
  redis.call('XGROUP', 'CREATE', stream, group, string.format('%.0f-18446744073709551615', from - 1), 'MKSTREAM')
  return 2
end

local idleLimit = tonumber(ARGV[5])
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', stream, group)) do
  local fields = {}
  for i = 1, #consumer, 2 do fields[consumer[i]] = consumer[i + 1] end
  if fields.pending == 0 and fields.idle > idleLimit then
    redis.call('XGROUP', 'DELCONSUMER', stream, group, fields.name)
  end
end
return 1
