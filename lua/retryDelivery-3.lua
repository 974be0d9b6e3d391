--[[ retryDelivery-3: set a taken entry aside until a retry is due; it stays pending, so its delivery count (the
  attempts so far) carries over to whichever consumer takes it then.
  KEYS[1] events stream   KEYS[2] retries zset   KEYS[3] order lease
  ARGV[1] group   ARGV[2] consumer   ARGV[3] stream id   ARGV[4] due ms
  ARGV[5] '1' = release the order lease if this consumer holds it (later entries need not wait for the retry)
  Returns 1 set aside; 0 when the entry is no longer pending (group closed, or settled elsewhere). ]]

local stream, retries, order = KEYS[1], KEYS[2], KEYS[3]
if ARGV[5] == '1' and redis.call('GET', order) == ARGV[2] then redis.call('DEL', order) end
local info = redis.pcall('XPENDING', stream, ARGV[1], ARGV[3], ARGV[3], 1)
if info.err or not info[1] then return 0 end
redis.call('ZADD', retries, ARGV[4], ARGV[3])
return 1
