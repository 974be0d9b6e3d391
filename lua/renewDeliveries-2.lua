--[[ renewDeliveries-2: keep the entries a consumer is delivering from looking abandoned, or hand them back.
  KEYS[1] events stream   KEYS[2] order lease
  ARGV[1] group   ARGV[2] consumer   ARGV[3] lease ms   ARGV[4] 'renew' or 'release'   ARGV[5..] stream ids
  renew: each entry still held by the consumer counts as just taken, and the order lease, if held, lasts another
  lease. release: each such entry counts as abandoned at once (any consumer's next take picks it up, with the
  delivery count it had before this consumer took it) and the order lease is let go.
  Returns how many entries were still held by the consumer. ]]

local stream, order = KEYS[1], KEYS[2]
local group, consumer, leaseMs, renew = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == 'renew'
local held = 0
for i = 5, #ARGV do
  local id = ARGV[i]
  local info = redis.pcall('XPENDING', stream, group, id, id, 1)
  if not info.err and info[1] and info[1][2] == consumer then
    held = held + 1
    if renew then
      redis.call('XCLAIM', stream, group, consumer, 0, id, 'JUSTID')
    else
      -- The interrupted attempt does not count: the next claim adds the delivery back.
      redis.call('XCLAIM', stream, group, consumer, 0, id, 'IDLE', leaseMs, 'RETRYCOUNT', math.max(info[1][4] - 1, 0), 'JUSTID')
    end
  end
end
if redis.call('GET', order) == consumer then
  if renew then redis.call('PEXPIRE', order, leaseMs) else redis.call('DEL', order) end
end
return held
