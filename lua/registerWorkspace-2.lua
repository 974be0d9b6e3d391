--[[ registerWorkspace-2: add a workspace to the registry of workspaces, keeping the position it first got.
  KEYS[1] workspaces zset (sid scored by registration sequence)   KEYS[2] sequence counter
  ARGV[1] workspace sid
  Returns 1 registered; 0 already registered ]]

if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], redis.call('INCR', KEYS[2]), ARGV[1])
return 1
