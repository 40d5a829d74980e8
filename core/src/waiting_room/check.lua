-- Whether an admission is still valid (WaitingRoom::is_admitted). Runs after prelude.lua.
--
-- KEYS: the room keys of one event, always all nine, in this order (RoomKeys::all):
--   1 ticket counter, 2 line, 3 tickets, 4 heartbeats, 5 active, 6 grants, 7 finished,
--   8 stats, 9 admission log.
-- ARGV[1]  the user id
-- ARGV[2]  the admission's ticket (from the admission token)
--
-- Returns 1 if the grant matches and the window has not ended, else 0.
local grant = redis.call('HGET', KEYS[6], ARGV[1])
if not grant or grant ~= ARGV[2] then return 0 end
local exp = redis.call('ZSCORE', KEYS[5], ARGV[1])
if not exp or tonumber(exp) <= now_ms() then return 0 end
return 1
