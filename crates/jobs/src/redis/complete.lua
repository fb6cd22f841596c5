-- ARGV: prefix, retention_ms, n, then 7 values per job: id, lease token, result, actual_cost,
-- for the event the job's kind and target as the worker knows them, and 1 when the worker
-- wants a next job in place of this one (else 0); then the next jobs' worker, lease_ms,
-- kind count N, N kinds, engine count E (-1: every engine) and E engines, and as many lease
-- tokens as jobs want a next one.
-- Returns { per job 0 when its lease is lost, else the finishing time (ms); the ids of the
-- jobs taken, at most one per job that was finished and wants a next one }: finishing and
-- taking the next jobs is one script call (`take` comes from take.lua).
local retention, n = tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
local nows = tostring(now)
local out, ids, succeeded, events = {}, {}, {}, {}
local budget, wanted = 0, 0
for i = 1, n do
  local a = 3 + (i - 1) * 7
  local id = ARGV[a + 1]
  local h = redis.call('HMGET', jk(id), 'state', 'lease_token', 'seq', 'engine', 'attempts')
  if h[1] ~= 'running' or h[2] ~= ARGV[a + 2] then
    out[i] = 0
  else
    if h[4] and h[4] ~= '' then
      local k = P .. ':engine:running:' .. h[4]
      if tonumber(redis.call('GET', k) or '0') > 0 then redis.call('DECR', k) end
    end
    redis.call('HSET', jk(id), 'state', 'succeeded', 'result', ARGV[a + 3],
      'act_cost', ARGV[a + 4], 'progress', '100', 'finished_at', nows, 'updated_at', nows,
      'lease_until', '', 'lease_token', '', 'run_at', '')
    ids[#ids + 1] = id
    succeeded[#succeeded + 1] = h[3]; succeeded[#succeeded + 1] = id
    if listened() then
      local o = redis.call('HMGET', jk(id), 'course', 'by')
      events[#events + 1] = { job_id = id, kind = ARGV[a + 5], target = ARGV[a + 6],
        state = 'succeeded', attempts = tonumber(h[5]), progress = 100, course = o[1] or '',
        by = o[2] or '' }
    end
    -- About one finished job in eight looks for up to 50 to forget.
    if tonumber(h[3]) % 8 == 0 then budget = budget + 50 end
    if ARGV[a + 7] == '1' then wanted = wanted + 1 end
    out[i] = now
  end
end
if #ids > 0 then
  redis.call('ZREM', P .. ':leases', unpack(ids))
  redis.call('ZADD', P .. ':state:succeeded', unpack(succeeded))
  if listened() then redis.call('PUBLISH', P .. ':events', cjson.encode(events)) end
end

-- Finished jobs older than the retention are forgotten, so the queue does not grow forever.
if budget > 0 then
  prune('succeeded', budget, now - retention)
  prune('cancelled', budget, now - retention)
end

local jobs = {}
local b = 3 + n * 7
local nk = tonumber(ARGV[b + 3])
if wanted > 0 and nk > 0 then
  local kinds, tokens = {}, {}
  for k = 1, nk do kinds[k] = ARGV[b + 3 + k] end
  local engines, ne = engine_set(ARGV, b + 4 + nk)
  for t = 1, wanted do tokens[t] = ARGV[b + 3 + nk + ne + t] end
  jobs = take(ARGV[b + 1], tonumber(ARGV[b + 2]), wanted, kinds, tokens, engines)
end
return { out, jobs }
