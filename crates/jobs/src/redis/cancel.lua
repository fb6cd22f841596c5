-- ARGV: prefix, id
local id = ARGV[2]
local h = redis.call('HMGET', jk(id), 'state', 'kind')
local state = h[1]
if not state then return { 'not_found' } end
if state == 'succeeded' or state == 'dead' or state == 'cancelled' then
  return { 'wrong_state', state }
end
local now = now_ms()
if state == 'queued' then redis.call('ZREM', P .. ':ready:' .. h[2], id) end
if state == 'retry_wait' then redis.call('ZREM', P .. ':delayed', id) end
if state == 'running' then
  redis.call('ZREM', P .. ':leases', id)
  engine_stopped(id)
end
move_state(id, state, 'cancelled')
redis.call('HSET', jk(id), 'finished_at', now, 'updated_at', now, 'run_at', '',
  'lease_until', '', 'lease_token', '')
publish(id)
return { 'ok', job_reply(id) }
