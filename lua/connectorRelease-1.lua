--[[ connectorRelease-1: let go of a claim, only while the given holder still holds it.
  KEYS[1] claim string
  ARGV[1] holder
  Returns 1 let go; 0 not held by this holder (a newer holder keeps it). ]]

if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
