--[[ rangeRecords: members of ordered indexes with the records they name, in one call: one index read a window at a
  time, or the heads of several (matching looks at every queue and channel of a worker at once).
  Variable key count (the caller passes numkeys). KEYS[1] records hash of the members' kind   KEYS[2..] index zsets
  (every score 0: byte order)
  ARGV[1] start: '-' or '(<member>' (exclusive), for every index   ARGV[2] limit, for each index
  A member names its record by the sid after its last ':' (or is the sid).
  Returns, index by index: how many members it gave, then member, record json (false when the record is gone),
  member, record json, … ]]
--@include rangeHeads

local indexes = {}
for k = 2, #KEYS do indexes[k - 1] = KEYS[k] end
return rangeHeads({}, KEYS[1], indexes, ARGV[1], tonumber(ARGV[2]))
