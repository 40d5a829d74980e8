-- Takes the leader lease if free, or extends it if we hold it (Lease::hold).
--
-- KEYS[1]  the lease
-- ARGV[1]  this process's holder id
-- ARGV[2]  the lease TTL, ms
--
-- Returns 1 when we hold the lease afterwards, else 0.
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
