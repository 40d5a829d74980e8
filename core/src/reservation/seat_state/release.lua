-- Deletes the seat locks still held by one owner (SeatState::unlock); locks someone else took after a TTL lapse stay.
--
-- KEYS[1..n]  the seat lock keys
-- ARGV[1]     the owner token
--
-- Returns the number of locks deleted.
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
    n = n + 1
  end
end
return n
