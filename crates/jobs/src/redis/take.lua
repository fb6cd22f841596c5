-- The engines a worker has, from ARGV at `at`: a count (-1: every engine, nil is returned),
-- then the ids. Returns the set and how many ARGV values it took.
local function engine_set(argv, at)
  local n = tonumber(argv[at])
  if n < 0 then return nil, 1 end
  local set = {}
  for i = 1, n do set[argv[at + i]] = true end
  return set, n + 1
end
-- Takes up to `max` ready jobs of `kinds` for `worker`, leased for `lease_ms` with one of
-- `tokens` each (at least `max` of them), after putting back due retries and expired leases.
-- Returns the time (ms), then each job taken as its flat hash from before it was taken, in
-- the order of the tokens they got: the caller applies the change (state running, one more
-- attempt, started now, the lease) itself. Used by the dequeue and complete scripts.
-- `engines`: the set of engines the worker has (nil: every one); a job naming another engine
-- is left for a worker that has it.
local function take(worker, lease_ms, max, kinds, tokens, engines)
  local now = now_ms()

  -- Retries whose delay is over go back to the ready queue.
  local due = redis.call('ZRANGEBYSCORE', P .. ':delayed', '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do
    redis.call('ZREM', P .. ':delayed', id)
    move_state(id, 'retry_wait', 'queued')
    redis.call('HSET', jk(id), 'run_at', '', 'updated_at', now)
    to_ready(id)
    publish(id)
  end

  -- Jobs whose worker stopped renewing its lease are delivered again (or die on their last try).
  local expired = redis.call('ZRANGEBYSCORE', P .. ':leases', '-inf', '(' .. now, 'LIMIT', 0, 1000)
  for _, id in ipairs(expired) do
    redis.call('ZREM', P .. ':leases', id)
    local h = redis.call('HMGET', jk(id), 'attempts', 'max_attempts', 'worker_id')
    -- (A lease whose job hash is gone is only dropped.)
    if h[1] then
      engine_stopped(id)
      local err = cjson.encode({ class = 'retryable', message = 'the worker ' .. h[3] ..
        ' stopped responding during attempt ' .. h[1] .. ' (its lease expired)' })
      redis.call('HSET', jk(id), 'last_error', err, 'lease_until', '', 'lease_token', '',
        'worker_id', '', 'updated_at', now)
      if tonumber(h[1]) >= tonumber(h[2]) then
        move_state(id, 'running', 'dead')
        redis.call('HSET', jk(id), 'finished_at', now)
      else
        move_state(id, 'running', 'queued')
        to_ready(id)
      end
      publish(id)
    end
  end

  -- Engine limits: engine -> "max_concurrency|max_starts_per_second" (either may be empty).
  local limits = {}
  local raw = redis.call('HGETALL', P .. ':limits')
  for i = 1, #raw, 2 do
    local c, r = string.match(raw[i + 1], '^(%d*)|(%d*)$')
    limits[raw[i]] = { tonumber(c), tonumber(r) }
  end

  -- The best candidates of every kind asked for, looking past saturated engines a little.
  local candidates = {}
  local window = max
  if next(limits) ~= nil or engines then window = max * 4 + 32 end
  if #kinds == 1 then
    local r = redis.call('ZRANGE', P .. ':ready:' .. kinds[1], 0, window - 1)
    for i = 1, #r do candidates[i] = { r[i], i, kinds[1] } end
  else
    for _, kind in ipairs(kinds) do
      local r = redis.call('ZRANGE', P .. ':ready:' .. kind, 0, window - 1, 'WITHSCORES')
      for i = 1, #r, 2 do
        candidates[#candidates + 1] = { r[i], tonumber(r[i + 1]), kind }
      end
    end
    table.sort(candidates, function(a, b) return a[2] < b[2] end)
  end

  local second = math.floor(now / 1000)
  local out, taken, by_kind, leases, events = { now }, {}, {}, {}, {}
  local token_at = 0
  local lease_until = now + lease_ms
  -- Numbers become text once, not once per job and field.
  local nows, untils = tostring(now), tostring(lease_until)
  local listening = listened()
  for _, c in ipairs(candidates) do
    if #out > max then break end
    local id = c[1]
    -- The hash goes back to the worker as it was read (the worker knows what taking it
    -- changed); a Lua table of it would cost more than the rest of taking it.
    local flat = redis.call('HGETALL', jk(id))
    local h = {}
    for j = 1, #flat, 2 do
      local k = flat[j]
      if k == 'attempts' then h[1] = flat[j + 1]
      elseif k == 'engine' then h[2] = flat[j + 1]
      elseif k == 'target' then h[3] = flat[j + 1]
      elseif k == 'course' then h[4] = flat[j + 1]
      elseif k == 'by' then h[5] = flat[j + 1] end
    end
    local engine = h[2] or ''
    local ok = h[1] ~= nil
    -- (A ready entry without its job hash is dropped.)
    if not ok then redis.call('ZREM', P .. ':ready:' .. c[3], id) end
    if ok and engines and engine ~= '' and not engines[engine] then ok = false end
    local limit = limits[engine]
    if ok and limit then
      local running_key = P .. ':engine:running:' .. engine
      local starts_key = P .. ':engine:starts:' .. engine .. ':' .. second
      if limit[1] and tonumber(redis.call('GET', running_key) or '0') >= limit[1] then ok = false end
      if ok and limit[2] and tonumber(redis.call('GET', starts_key) or '0') >= limit[2] then ok = false end
    end
    if ok then
      token_at = token_at + 1
      local attempts = tonumber(h[1]) + 1
      redis.call('HSET', jk(id), 'state', 'running', 'attempts', attempts, 'started_at', nows,
        'lease_until', untils, 'worker_id', worker, 'lease_token', tokens[token_at],
        'progress', '0', 'progress_message', '', 'updated_at', nows)
      if engine ~= '' then
        redis.call('INCR', P .. ':engine:running:' .. engine)
        local starts_key = P .. ':engine:starts:' .. engine .. ':' .. second
        redis.call('INCR', starts_key)
        redis.call('EXPIRE', starts_key, 5)
      end
      local ids = by_kind[c[3]]
      if not ids then ids = {}; by_kind[c[3]] = ids end
      ids[#ids + 1] = id
      taken[#taken + 1] = id
      flat[#flat + 1] = 'id'; flat[#flat + 1] = id
      out[#out + 1] = flat
      leases[#leases + 1] = untils; leases[#leases + 1] = id
      if listening then
        events[#events + 1] = { job_id = id, kind = c[3], target = h[3] or '',
          state = 'running', attempts = attempts, progress = 0, course = h[4] or '',
          by = h[5] or '' }
      end
    end
  end
  if #out > 1 then
    for kind, ids in pairs(by_kind) do redis.call('ZREM', P .. ':ready:' .. kind, unpack(ids)) end
    redis.call('ZREM', P .. ':state:queued', unpack(taken))
    redis.call('ZADD', P .. ':leases', unpack(leases))
    if listening then redis.call('PUBLISH', P .. ':events', cjson.encode(events)) end
  end
  return out
end
