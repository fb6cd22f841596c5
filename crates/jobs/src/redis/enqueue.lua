-- ARGV: prefix, id, kind, target, input, engine, priority, dedup_key, max_attempts, est_cost
-- Returns {0, job hash} for the live job with the same dedup key, or {1, created_at_ms}.
local id, kind, target, dedup = ARGV[2], ARGV[3], ARGV[4], ARGV[8]
if dedup ~= '' then
  local existing = redis.call('HGET', P .. ':dedup', dedup)
  if existing then
    local st = redis.call('HGET', jk(existing), 'state')
    if st and st ~= 'dead' and st ~= 'cancelled' then
      return { 0, redis.call('HGETALL', jk(existing)) }
    end
  end
end
local now = now_ms()
local seq = redis.call('INCR', P .. ':seq')
-- Higher priority first, then older first: (100 - priority) * 2^40 + seq.
local rank = string.format('%.0f', (100 - tonumber(ARGV[7])) * 1099511627776 + seq)
redis.call('HSET', jk(id), 'id', id, 'seq', seq, 'rank', rank, 'kind', kind, 'target', target,
  'input', ARGV[5], 'engine', ARGV[6], 'priority', ARGV[7], 'dedup_key', dedup,
  'state', 'queued', 'attempts', 0, 'max_attempts', ARGV[9], 'progress', 0,
  'progress_message', '', 'last_error', '', 'result', '', 'est_cost', ARGV[10],
  'act_cost', '', 'created_at', now, 'updated_at', now, 'run_at', '', 'started_at', '',
  'finished_at', '', 'lease_until', '', 'worker_id', '', 'lease_token', '')
redis.call('ZADD', P .. ':state:queued', seq, id)
redis.call('ZADD', P .. ':all', seq, id)
redis.call('ZADD', P .. ':kind:' .. kind, seq, id)
if target ~= '' then redis.call('ZADD', P .. ':target:' .. target, seq, id) end
if dedup ~= '' then redis.call('HSET', P .. ':dedup', dedup, id) end
redis.call('ZADD', P .. ':ready:' .. kind, rank, id)
signal(kind, seq)
publish_event(id, kind, target, 'queued', 0, 0, '', '', '')
-- The caller knows everything else about the new job.
return { 1, now }
