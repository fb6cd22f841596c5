-- ARGV: prefix, id, token, error_json, delay_ms (negative: the job is dead)
local id = ARGV[2]
if not holds(id, ARGV[3]) then return 0 end
local now = now_ms()
local delay = tonumber(ARGV[5])
engine_stopped(id)
redis.call('ZREM', P .. ':leases', id)
redis.call('HSET', jk(id), 'last_error', ARGV[4], 'lease_until', '', 'lease_token', '', 'updated_at', now)
if delay >= 0 then
  move_state(id, 'running', 'retry_wait')
  redis.call('HSET', jk(id), 'run_at', now + delay)
  redis.call('ZADD', P .. ':delayed', now + delay, id)
else
  move_state(id, 'running', 'dead')
  redis.call('HSET', jk(id), 'finished_at', now)
end
publish(id)
return job_reply(id)
