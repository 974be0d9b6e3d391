--[[ recordDelivery-2: keep a message's delivery report unless the one kept is at least as far along.
  KEYS[1] conversation string   KEYS[2] reports hash
  ARGV[1] message sid   ARGV[2] progress   ARGV[3] tie-break (of equal progress, the smaller is kept)   ARGV[4] JSON
  Returns 1 kept; 0 the kept report stands, or no such conversation.
  Twilio's status callbacks arrive in any order and at any instance; the comparison is made here, atomically. ]]

if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then
  local kept = cjson.decode(held)
  local progress = tonumber(ARGV[2])
  if kept.progress > progress or (kept.progress == progress and kept.tie <= ARGV[3]) then return 0 end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
