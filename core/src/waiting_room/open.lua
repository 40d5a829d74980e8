-- Opens the line at sale start, once (WaitingRoom::open): optionally re-scores the
-- pre-queue with a permutation of its own tickets. Runs after prelude.lua.
--
-- KEYS: the room keys of one event, always all nine, in this order (RoomKeys::all):
--   1 ticket counter, 2 line, 3 tickets, 4 heartbeats, 5 active, 6 grants, 7 finished,
--   8 stats, 9 admission log.
-- ARGV     member, score, member, score, ... (empty: no re-scoring)
--
-- Returns 1 if this call opened the line, 0 if it was open already.
if redis.call('HGET', KEYS[8], 'opened') == '1' then return 0 end
for i = 1, #ARGV, 2 do
  redis.call('ZADD', KEYS[2], 'XX', ARGV[i + 1], ARGV[i])
end
redis.call('HSET', KEYS[8], 'opened', '1', 'last', now_ms(), 'credit', '0')
return 1
