--[[ readRecords: fields of several hashes of one workspace, in one call (records of several kinds read together).
  Variable key count (the caller passes numkeys). KEYS[1..n] records hashes, each of one kind.
  ARGV for each key in turn: a count, then that many fields (record sids).
  Returns every value in the order asked, false where a field is absent. ]]
local reply, at = {}, 1
for k = 1, #KEYS do
  local count = tonumber(ARGV[at])
  local values = redis.call('HMGET', KEYS[k], unpack(ARGV, at + 1, at + count))
  for i = 1, count do reply[#reply + 1] = values[i] end
  at = at + 1 + count
end
return reply
