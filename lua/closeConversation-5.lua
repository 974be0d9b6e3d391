--[[ closeConversation-5: close a conversation and start its retention.
  KEYS[1] the pair's open string   KEYS[2] conversation string   KEYS[3] closing string   KEYS[4] messages list
  KEYS[5] reports hash
  ARGV[1] conversation sid   ARGV[2] closing JSON   ARGV[3] retention ms
  Returns 1 closed; 0 closed already, or no such conversation.
  The open key is let go only while it names this conversation: a newer one of the pair keeps it. ]]

if redis.call('EXISTS', KEYS[2]) == 0 or redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
for i = 2, 5 do
  if i ~= 3 then redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
end
return 1
