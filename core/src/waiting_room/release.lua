-- Ends an admission early, when the fan paid or cancelled (WaitingRoom::release): frees
-- the slot for the next fan. Runs after prelude.lua.
--
-- KEYS: the room keys of one event, always all nine, in this order (RoomKeys::all):
--   1 ticket counter, 2 line, 3 tickets, 4 heartbeats, 5 active, 6 grants, 7 finished,
--   8 stats, 9 admission log.
-- ARGV[1]  the user id
-- ARGV[2]  the admission's ticket, or '' for whichever admission the fan has
--
-- Returns 1 if an admission ended, else 0.
local user = ARGV[1]
local grant = redis.call('HGET', KEYS[6], user)
if not grant then return 0 end
if ARGV[2] ~= '' and grant ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[5], user)
redis.call('HDEL', KEYS[6], user)
redis.call('HDEL', KEYS[3], user)
redis.call('ZADD', KEYS[7], now_ms(), user)
return 1
