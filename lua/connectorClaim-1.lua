--[[ connectorClaim-1: claim a key of the connector's state for a holder, unless another holds it.
  KEYS[1] claim string
  ARGV[1] holder   ARGV[2] expiry ms of a new claim (0: none)
  Returns 1 claimed, or held by this holder already; 0 held by another.
  SET NX alone would refuse the holder's own repeated claim, which the connector counts as done. ]]

local held = redis.call('GET', KEYS[1])
if held then
  if held == ARGV[1] then return 1 end
  return 0
end
if tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
