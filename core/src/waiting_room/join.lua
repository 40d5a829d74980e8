-- Joins the line once (WaitingRoom::join): a fan already in it (waiting or admitted) keeps
-- their place. Runs after prelude.lua.
--
-- KEYS: the room keys of one event, always all nine, in this order (RoomKeys::all):
--   1 ticket counter, 2 line, 3 tickets, 4 heartbeats, 5 active, 6 grants, 7 finished,
--   8 stats, 9 admission log.
-- ARGV[1]  the user id
-- ARGV[2]  when the pre-queue opens, ms
-- ARGV[3]  sale start, ms (tickets taken before it are the pre-queue)
--
-- Returns the fan's place (see place() in prelude.lua); 'not_open' before ARGV[2].
local user = ARGV[1]
local now = now_ms()
if not redis.call('HGET', KEYS[3], user) then
  if now < tonumber(ARGV[2]) then return reply('not_open', '0', '-1', '0', '', '0') end
  local ticket = redis.call('INCR', KEYS[1])
  redis.call('HSET', KEYS[3], user, ticket)
  redis.call('ZADD', KEYS[2], ticket, user)
  redis.call('ZADD', KEYS[4], now, user)
  redis.call('ZREM', KEYS[7], user)
  if now < tonumber(ARGV[3]) then redis.call('HSET', KEYS[8], 'pre_last', ticket) end
end
return place(user, now, true)
