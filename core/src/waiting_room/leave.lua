-- Leaves the line or gives up an admission (WaitingRoom::leave). Runs after prelude.lua.
--
-- KEYS: the room keys of one event, always all nine, in this order (RoomKeys::all):
--   1 ticket counter, 2 line, 3 tickets, 4 heartbeats, 5 active, 6 grants, 7 finished,
--   8 stats, 9 admission log.
-- ARGV[1]  the user id
--
-- Returns how many places the fan had (0 or 1).
local user = ARGV[1]
local n = redis.call('ZREM', KEYS[2], user) + redis.call('ZREM', KEYS[5], user)
redis.call('ZREM', KEYS[4], user)
redis.call('HDEL', KEYS[3], user)
redis.call('HDEL', KEYS[6], user)
redis.call('ZREM', KEYS[7], user)
return n
