-- Overwrites seat states with the database's truth (SeatState::overwrite): sets 'status:seq' for each (seat, status) pair unless a change at
-- least as new is recorded.
--
-- KEYS[1]    the event's seat-state hash (seat id -> 'status:seq')
-- ARGV[1]    the seq of the database snapshot
-- ARGV[2..]  seat id, status, seat id, status, ...
--
-- Returns the number of seats written.
local seq = tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV, 2 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  local curseq = -1
  if cur then curseq = tonumber(string.match(cur, ':(%d+)$')) or -1 end
  if seq >= curseq then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. ':' .. ARGV[1])
    n = n + 1
  end
end
return n
