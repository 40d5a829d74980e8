-- One GCRA rate-limit check (Gcra::check), with Redis's clock.
--
-- KEYS[1]  the limit's theoretical arrival time (TAT), µs since 1970
-- ARGV[1]  the interval between requests at the sustained rate, µs
-- ARGV[2]  the burst: how many requests may arrive at once
--
-- Returns 0 when allowed (and stores the new TAT, expiring when fully replenished), else
-- the µs until the next request would be allowed. Lua numbers are doubles: µs since 1970
-- (~1.8e15) are exact below 2^53.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = interval * (tonumber(ARGV[2]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - now - tolerance
if wait > 0 then return wait end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return 0
