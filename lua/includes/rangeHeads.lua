--[[ rangeHeads: appends to `reply`, for each of the index zsets `indexes` (every score 0: byte order), how many
  members it gave from `start` ('-' or '(<member>', exclusive) up to `limit`, then member, record json from the
  `records` hash (false when the record is gone), member, record json, … A member names its record by the sid after
  its last ':' (or is the sid). ]]
local function rangeHeads(reply, records, indexes, start, limit)
  for _, index in ipairs(indexes) do
    local members = redis.call('ZRANGEBYLEX', index, start, '+', 'LIMIT', 0, limit)
    reply[#reply + 1] = #members
    if #members > 0 then
      local sids = {}
      for i, member in ipairs(members) do sids[i] = string.match(member, '([^:]*)$') end
      local found = redis.call('HMGET', records, unpack(sids))
      for i, member in ipairs(members) do
        reply[#reply + 1] = member
        reply[#reply + 1] = found[i]
      end
    end
  end
  return reply
end
