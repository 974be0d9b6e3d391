--[[ changeConfiguration-6: apply a change to the connector's numbers and menus if what it was computed from holds.
  KEYS[1] phoneNumber records hash   KEYS[2] ivrMenu records hash   KEYS[3] phoneNumber order zset
  KEYS[4] ivrMenu order zset         KEYS[5] names hash              KEYS[6] creation counter
  ARGV[1] the change as JSON: {expect = {{kind, sid, version (-1: must not exist)}}, put = {{kind, sid, json}},
          delete = {{kind, sid}}, names = {{op ('claim' | 'release'), field, sid}}}
  Returns 1 applied; -1 a record's version changed; -2 a name claimed is held by another record.
  Everything is checked before anything is written, so a refused change writes nothing. ]]

local records = { phoneNumber = KEYS[1], ivrMenu = KEYS[2] }
local orders = { phoneNumber = KEYS[3], ivrMenu = KEYS[4] }
local change = cjson.decode(ARGV[1])

for _, e in ipairs(change.expect) do
  local stored = redis.call('HGET', records[e.kind], e.sid)
  local version = -1
  if stored then version = cjson.decode(stored).version end
  if version ~= e.version then return -1 end
end
for _, n in ipairs(change.names) do
  if n.op == 'claim' then
    local held = redis.call('HGET', KEYS[5], n.field)
    if held and held ~= n.sid then return -2 end
  end
end

for _, p in ipairs(change.put) do
  if redis.call('HSET', records[p.kind], p.sid, p.json) == 1 then
    redis.call('ZADD', orders[p.kind], redis.call('INCR', KEYS[6]), p.sid)
  end
end
for _, d in ipairs(change.delete) do
  redis.call('HDEL', records[d.kind], d.sid)
  redis.call('ZREM', orders[d.kind], d.sid)
end
for _, n in ipairs(change.names) do
  if n.op == 'claim' then
    redis.call('HSET', KEYS[5], n.field, n.sid)
  elseif redis.call('HGET', KEYS[5], n.field) == n.sid then
    redis.call('HDEL', KEYS[5], n.field)
  end
end
return 1
