-- ARGV: prefix, id, token, extend_ms
local id = ARGV[2]
if not holds(id, ARGV[3]) then return 0 end
local now = now_ms()
local until_ms = now + tonumber(ARGV[4])
redis.call('HSET', jk(id), 'lease_until', until_ms, 'updated_at', now)
redis.call('ZADD', P .. ':leases', until_ms, id)
return 1
