-- ARGV: prefix, id, token, result, actual_cost, retention_ms
local id = ARGV[2]
if not holds(id, ARGV[3]) then return 0 end
local now = now_ms()
engine_stopped(id)
redis.call('ZREM', P .. ':leases', id)
move_state(id, 'running', 'succeeded')
redis.call('HSET', jk(id), 'result', ARGV[4], 'act_cost', ARGV[5], 'progress', 100,
  'finished_at', now, 'updated_at', now, 'lease_until', '', 'lease_token', '', 'run_at', '')
finished(id, now)
publish(id)
local job = redis.call('HGETALL', jk(id))

-- Forget a few finished jobs older than the retention, so the queue does not grow forever.
local old = redis.call('ZRANGEBYSCORE', P .. ':finished', '-inf', now - tonumber(ARGV[6]), 'LIMIT', 0, 20)
for _, gone in ipairs(old) do
  local h = redis.call('HMGET', jk(gone), 'state', 'kind', 'target', 'dedup_key')
  if h[1] then
    redis.call('ZREM', P .. ':state:' .. h[1], gone)
    redis.call('ZREM', P .. ':kind:' .. h[2], gone)
    if h[3] ~= '' then redis.call('ZREM', P .. ':target:' .. h[3], gone) end
    if h[4] ~= '' and redis.call('HGET', P .. ':dedup', h[4]) == gone then
      redis.call('HDEL', P .. ':dedup', h[4])
    end
  end
  redis.call('ZREM', P .. ':all', gone)
  redis.call('ZREM', P .. ':finished', gone)
  redis.call('DEL', jk(gone))
end
return job
