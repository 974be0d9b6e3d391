--[[ rangeRecords-2: members of an ordered index with the records they name, in one call.
  KEYS[1] index zset (every score 0: byte order)   KEYS[2] records hash of the members' kind
  ARGV[1] start: '-' or '(<member>' (exclusive)   ARGV[2] limit
  A member names its record by the sid after its last ':' (or is the sid).
  Returns a flat list: member, record json (false when the record is gone), member, record json, … ]]
local members = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
if #members == 0 then return {} end
local sids = {}
for i, member in ipairs(members) do sids[i] = string.match(member, '([^:]*)$') end
local records = redis.call('HMGET', KEYS[2], unpack(sids))
local reply = {}
for i, member in ipairs(members) do
  reply[2 * i - 1] = member
  reply[2 * i] = records[i]
end
return reply
