-- Takes every seat lock of one request or none (SeatState::lock).
--
-- KEYS[1]     the event's seat-state hash (seat id -> 'status:seq')
-- KEYS[2..n]  the seat lock keys, in sorted seat order
-- ARGV[1]     the owner token
-- ARGV[2]     the lock TTL in ms
-- ARGV[3..]   the seat ids, in the same order as KEYS[2..]
--
-- Returns {'outcome', o, 'seat', s}: o = 'acquired' (s = '') when every lock was taken,
-- 'taken' when seat s is held or sold, 'locked' when another owner is deciding seat s now.
for i = 2, #KEYS do
  local seat = ARGV[i + 1]
  local state = redis.call('HGET', KEYS[1], seat)
  if state and string.sub(state, 1, 10) ~= 'available:' then
    return {'outcome', 'taken', 'seat', seat}
  end
end
for i = 2, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if holder and holder ~= ARGV[1] then
    return {'outcome', 'locked', 'seat', ARGV[i + 1]}
  end
end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return {'outcome', 'acquired', 'seat', ''}
