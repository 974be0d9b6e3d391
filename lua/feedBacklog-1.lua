--[[ feedBacklog-1: how much of one workspace's events stream a delivery group still has to settle.
  KEYS[1] events stream   ARGV[1] group
  Returns {pending entries (taken or waiting for a retry), 1 if entries wait unread else 0}; {} when the group does
  not exist. ]]

if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
for _, info in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local fields = {}
  for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
  if fields.name == ARGV[1] then
    local next = redis.call('XRANGE', KEYS[1], '(' .. fields['last-delivered-id'], '+', 'COUNT', 1)
    return {fields.pending, #next}
  end
end
return {}
