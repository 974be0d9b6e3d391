--[[ openConversation-4: open a pair's conversation with its first message, filing that message once.
  KEYS[1] the pair's open string   KEYS[2] conversation string   KEYS[3] messages list   KEYS[4] inbound filing string
  ARGV[1] conversation sid   ARGV[2] opening JSON   ARGV[3] first message JSON   ARGV[4] '1': claim the filing
  ARGV[5] filing expiry ms
  Returns 1 opened; -1 the pair has an open conversation; -2 the message was filed already.
  All keys are in the pair's slot, so two instances opening the same pair's conversation cannot both win. ]]

if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then return -2 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('RPUSH', KEYS[3], ARGV[3])
if ARGV[4] == '1' then redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[5]) end
return 1
