--[[ fileMessage-4: append a message to a conversation's capped history, filing an inbound one once.
  KEYS[1] conversation string   KEYS[2] messages list   KEYS[3] reports hash   KEYS[4] inbound filing string
  ARGV[1] conversation sid   ARGV[2] message JSON   ARGV[3] most messages kept   ARGV[4] '1': claim the filing
  ARGV[5] filing expiry ms
  Returns 1 filed; 0 no such conversation (expired); -2 the message was filed already.
  The oldest messages beyond the cap go with their delivery reports. A closed conversation's keys expire together:
  what is filed after closing takes the conversation's remaining time. ]]

if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[4] == '1' then
  if redis.call('EXISTS', KEYS[4]) == 1 then return -2 end
  redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[5])
end
local count = redis.call('RPUSH', KEYS[2], ARGV[2])
for _ = 1, count - tonumber(ARGV[3]) do
  local dropped = cjson.decode(redis.call('LPOP', KEYS[2]))
  if type(dropped.sid) == 'string' then redis.call('HDEL', KEYS[3], dropped.sid) end
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
