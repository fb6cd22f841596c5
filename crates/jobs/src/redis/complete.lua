-- ARGV: prefix, id, token, result, actual_cost, retention_ms
-- Returns 0 when the lease is lost, else the finishing time (ms).
local id = ARGV[2]
local h = redis.call('HMGET', jk(id), 'state', 'lease_token', 'engine', 'seq', 'kind',
  'target', 'attempts')
if h[1] ~= 'running' or h[2] ~= ARGV[3] then return 0 end
local now = now_ms()
if h[3] ~= '' then
  local k = P .. ':engine:running:' .. h[3]
  if tonumber(redis.call('GET', k) or '0') > 0 then redis.call('DECR', k) end
end
redis.call('ZREM', P .. ':leases', id)
redis.call('ZREM', P .. ':state:running', id)
redis.call('ZADD', P .. ':state:succeeded', h[4], id)
redis.call('HSET', jk(id), 'state', 'succeeded', 'result', ARGV[4], 'act_cost', ARGV[5],
  'progress', 100, 'finished_at', now, 'updated_at', now, 'lease_until', '',
  'lease_token', '', 'run_at', '')
finished(id, now)
publish_event(id, h[5], h[6], 'succeeded', h[7], 100, '', '', '')

-- Now and then, forget finished jobs older than the retention, so the queue does not grow
-- forever.
if tonumber(h[4]) % 8 == 0 then
  local old = redis.call('ZRANGEBYSCORE', P .. ':finished', '-inf', now - tonumber(ARGV[6]), 'LIMIT', 0, 50)
  for _, gone in ipairs(old) do
    local g = redis.call('HMGET', jk(gone), 'state', 'kind', 'target', 'dedup_key')
    if g[1] then
      redis.call('ZREM', P .. ':state:' .. g[1], gone)
      redis.call('ZREM', P .. ':kind:' .. g[2], gone)
      if g[3] ~= '' then redis.call('ZREM', P .. ':target:' .. g[3], gone) end
      if g[4] ~= '' and redis.call('HGET', P .. ':dedup', g[4]) == gone then
        redis.call('HDEL', P .. ':dedup', g[4])
      end
    end
    redis.call('ZREM', P .. ':all', gone)
    redis.call('ZREM', P .. ':finished', gone)
    redis.call('DEL', jk(gone))
  end
end
return now
