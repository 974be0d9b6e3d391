--[[ readLinked: a record and the records it names by sid, in one call (a reservation with its task and worker).
  Variable key count (the caller passes numkeys). KEYS[1] records hash of the record   KEYS[2..] records hash of
  each link's kind, one key per link
  ARGV[1] sid of the record   ARGV[2..] for each link, the record's property holding the linked sid
  Returns {record json, linked json, ...}: false for a record or link not found, or a property that holds no string;
  {false} alone when the record is not found. ]]

--@include decodeJson

local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return {false} end
local record = decodeJson(json)
local reply = {json}
for i = 2, #ARGV do
  local sid = record[ARGV[i]]
  reply[i] = type(sid) == 'string' and redis.call('HGET', KEYS[i], sid) or false
end
return reply
