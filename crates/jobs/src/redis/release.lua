-- ARGV: prefix, id, token
local id = ARGV[2]
if not holds(id, ARGV[3]) then return 0 end
local now = now_ms()
engine_stopped(id)
redis.call('ZREM', P .. ':leases', id)
move_state(id, 'running', 'queued')
local attempts = tonumber(redis.call('HGET', jk(id), 'attempts'))
if attempts > 0 then redis.call('HSET', jk(id), 'attempts', attempts - 1) end
redis.call('HSET', jk(id), 'lease_until', '', 'lease_token', '', 'worker_id', '', 'updated_at', now)
to_ready(id)
publish(id)
return job_reply(id)
