-- One admission step (WaitingRoom::advance, run by the sweeper about once a second): ends
-- lapsed admissions, drops fans with stale heartbeats, then admits from the front.
-- Runs after prelude.lua.
--
-- KEYS: the room keys of one event, always all nine, in this order (RoomKeys::all):
--   1 ticket counter, 2 line, 3 tickets, 4 heartbeats, 5 active, 6 grants, 7 finished,
--   8 stats, 9 admission log.
-- ARGV[1]  strategy: 'max_active' keeps up to ARGV[3] inside; any other admits at ARGV[2]
-- ARGV[2]  admissions per minute
-- ARGV[3]  most fans shopping at once
-- ARGV[4]  shopping window, ms
-- ARGV[5]  heartbeat timeout, ms
-- ARGV[6]  most admissions in this step
-- ARGV[7]  TTL of every room key, ms
-- ARGV[8]  '1' when the sale is open (admits only then)
--
-- Returns {'now', ms, 'stale', n, 'waiting', n, 'active', n, 'served', n,
--          'admitted', {user, ticket, user, ticket, ...}} where stale counts the fans
-- dropped by this step, served all admissions so far and admitted this step's, in order.
local now = now_ms()
local ended = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now)
for _, u in ipairs(ended) do
  redis.call('ZREM', KEYS[5], u)
  redis.call('HDEL', KEYS[6], u)
  redis.call('HDEL', KEYS[3], u)
  redis.call('ZADD', KEYS[7], now, u)
end
local stale = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[5]))
for _, u in ipairs(stale) do
  redis.call('ZREM', KEYS[2], u)
  redis.call('ZREM', KEYS[4], u)
  redis.call('HDEL', KEYS[3], u)
  redis.call('ZADD', KEYS[7], now, u)
end
redis.call('ZREMRANGEBYSCORE', KEYS[7], '-inf', now - 3600000)
local out = {}
local served = tonumber(redis.call('HGET', KEYS[8], 'served') or '0')
if ARGV[8] == '1' and redis.call('HGET', KEYS[8], 'opened') == '1' then
  local quota
  local credit = 0
  if ARGV[1] == 'max_active' then
    quota = tonumber(ARGV[3]) - redis.call('ZCARD', KEYS[5])
  else
    local rate = tonumber(ARGV[2])
    local last = tonumber(redis.call('HGET', KEYS[8], 'last') or now)
    credit = tonumber(redis.call('HGET', KEYS[8], 'credit') or '0') + rate * math.max(0, now - last) / 60000
    -- Unused credit is capped at five seconds' worth, so an empty line saves no burst.
    credit = math.min(credit, math.max(1, rate / 12))
    quota = math.floor(credit)
  end
  quota = math.min(quota, tonumber(ARGV[6]))
  if quota > 0 then
    local popped = redis.call('ZPOPMIN', KEYS[2], quota)
    for i = 1, #popped, 2 do
      local u = popped[i]
      local ticket = redis.call('HGET', KEYS[3], u) or '0'
      served = served + 1
      redis.call('ZREM', KEYS[4], u)
      redis.call('ZADD', KEYS[5], now + tonumber(ARGV[4]), u)
      redis.call('HSET', KEYS[6], u, ticket)
      redis.call('RPUSH', KEYS[9], ticket)
      out[#out + 1] = u
      out[#out + 1] = ticket
    end
    credit = credit - #popped / 2
  end
  redis.call('HSET', KEYS[8], 'served', served, 'credit', tostring(math.max(0, credit)))
end
redis.call('HSET', KEYS[8], 'last', now)
for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[7]) end
return {'now', tostring(now), 'stale', tostring(#stale), 'waiting', tostring(redis.call('ZCARD', KEYS[2])),
  'active', tostring(redis.call('ZCARD', KEYS[5])), 'served', tostring(served), 'admitted', out}
