-- Applies one seat change (SeatState::apply): for each seat,
-- records 'status:seq' unless a newer change was recorded already (relays may run out of
-- order after a crash); then appends the delta to the seat log and publishes it.
--
-- KEYS[1]    the event's seat-state hash (seat id -> 'status:seq')
-- KEYS[2]    the event's seat log (newest first)
-- ARGV[1]    the new status
-- ARGV[2]    the change's seq
-- ARGV[3]    the payload (the live message as clients receive it)
-- ARGV[4]    the channel (tagged like the keys, so a cluster's SPUBLISH stays on this slot)
-- ARGV[5]    how many deltas the log keeps
-- ARGV[6]    'PUBLISH' or 'SPUBLISH'
-- ARGV[7..]  the seat ids
--
-- Returns 1.
local seq = tonumber(ARGV[2])
for i = 7, #ARGV do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  local curseq = -1
  if cur then curseq = tonumber(string.match(cur, ':(%d+)$')) or -1 end
  if seq > curseq then redis.call('HSET', KEYS[1], ARGV[i], ARGV[1] .. ':' .. ARGV[2]) end
end
redis.call('LPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
redis.call(ARGV[6], ARGV[4], ARGV[3])
return 1
