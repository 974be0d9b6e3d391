--[[ ackDeliveries-3: settle entries of a delivery group for good (delivered, skipped or given up on).
  KEYS[1] events stream   KEYS[2] retries zset   KEYS[3] order lease
  ARGV[1] group   ARGV[2] consumer   ARGV[3] '1' = release the order lease if this consumer holds it
  ARGV[4..] stream ids
  Returns how many entries were still pending (0 when the group was closed meanwhile). ]]

local stream, retries, order = KEYS[1], KEYS[2], KEYS[3]
local acked = 0
for i = 4, #ARGV do
  acked = acked + redis.call('XACK', stream, ARGV[1], ARGV[i])
  redis.call('ZREM', retries, ARGV[i])
end
if ARGV[3] == '1' and redis.call('GET', order) == ARGV[2] then redis.call('DEL', order) end
return acked
