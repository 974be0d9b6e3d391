--[[ claimTimers-1: claim the earliest due timers of one workspace, hiding each for a lease.
  KEYS[1] timers zset (timer id scored by due ms)
  ARGV[1] now ms   ARGV[2] due ms given to claimed timers (now + lease)   ARGV[3] most timers to claim
  Returns {{id, due, id, due, ...} claimed, earliest due left in the set or nil when it is empty}.
  A claimed timer is due again only after its lease, so no other process claims it meanwhile. ]]

local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
for i = 1, #due, 2 do
  redis.call('ZADD', KEYS[1], ARGV[2], due[i])
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {due, first[2] or false}
