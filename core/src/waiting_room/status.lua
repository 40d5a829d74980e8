-- A fan's place (WaitingRoom::status); also their heartbeat. Runs after prelude.lua.
--
-- KEYS: the room keys of one event, always all nine, in this order (RoomKeys::all):
--   1 ticket counter, 2 line, 3 tickets, 4 heartbeats, 5 active, 6 grants, 7 finished,
--   8 stats, 9 admission log.
-- ARGV[1]  the user id
--
-- Returns the fan's place (see place() in prelude.lua).
return place(ARGV[1], now_ms(), true)
