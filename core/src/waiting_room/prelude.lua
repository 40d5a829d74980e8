-- Shared by every waiting-room script (WaitingRoom prepends it to each).
--
-- KEYS: the room keys of one event, always all nine, in this order (RoomKeys::all):
--   1 ticket counter, 2 line, 3 tickets, 4 heartbeats, 5 active, 6 grants, 7 finished,
--   8 stats, 9 admission log.
--
-- now_ms(): the Redis clock in ms, so every api instance and the sweeper agree on time.
-- place(user, now, beat): where a fan stands, as the flat map
--   {'state', s, 'ticket', t, 'ahead', a, 'expires_ms', e, 'rate', r, 'opened', o}
--   s: 'none' | 'not_open' | 'waiting' | 'admitted' | 'expired'; t: ticket ('0' if none);
--   a: fans ahead ('-1' unless waiting); e: end of the admission in ms ('0' unless
--   admitted); r: the measured admission rate per second ('' before any); o: '1' once the
--   line has opened. With beat, a waiting fan's heartbeat is refreshed.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function reply(state, ticket, ahead, expires_ms, rate, opened)
  return {'state', state, 'ticket', ticket, 'ahead', ahead, 'expires_ms', expires_ms,
    'rate', rate, 'opened', opened}
end
local function place(user, now, beat)
  local opened = redis.call('HGET', KEYS[8], 'opened') or '0'
  local rate = redis.call('HGET', KEYS[8], 'rate') or ''
  local ticket = redis.call('HGET', KEYS[3], user)
  if not ticket then
    if redis.call('ZSCORE', KEYS[7], user) then return reply('expired', '0', '-1', '0', rate, opened) end
    return reply('none', '0', '-1', '0', rate, opened)
  end
  local exp = redis.call('ZSCORE', KEYS[5], user)
  if exp then
    if tonumber(exp) > now then
      return reply('admitted', ticket, '0', exp, rate, opened)
    end
    return reply('expired', ticket, '-1', '0', rate, opened)
  end
  local rank = redis.call('ZRANK', KEYS[2], user)
  if rank then
    if beat then redis.call('ZADD', KEYS[4], 'XX', now, user) end
    return reply('waiting', ticket, tostring(rank), '0', rate, opened)
  end
  return reply('expired', ticket, '-1', '0', rate, opened)
end
