-- Gives the leader lease up if we hold it (Lease::give_up), so a
-- stand-by takes over at once instead of after the TTL.
--
-- KEYS[1]  the lease
-- ARGV[1]  this process's holder id
--
-- Returns 1 if the lease was deleted, else 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
