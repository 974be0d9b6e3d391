--[[ rangeRecords: members of ordered indexes with the records they name, in one call: one index read a window at a
  time, or the heads of several (matching looks at every queue and channel of a worker at once).
  Variable key count (the caller passes numkeys). KEYS[1] records hash of the members' kind   KEYS[2..] index zsets
  (every score 0: byte order)
  ARGV[1] start: '-' or '(<member>' (exclusive), for every index   ARGV[2] limit, for each index
  A member names its record by the sid after its last ':' (or is the sid).
  Returns, index by index: how many members it gave, then member, record json (false when the record is gone),
  member, record json, … ]]
local reply = {}
for k = 2, #KEYS do
  local members = redis.call('ZRANGEBYLEX', KEYS[k], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
  reply[#reply + 1] = #members
  if #members > 0 then
    local sids = {}
    for i, member in ipairs(members) do sids[i] = string.match(member, '([^:]*)$') end
    local records = redis.call('HMGET', KEYS[1], unpack(sids))
    for i, member in ipairs(members) do
      reply[#reply + 1] = member
      reply[#reply + 1] = records[i]
    end
  end
end
return reply
