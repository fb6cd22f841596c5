-- ARGV: prefix, n, then 11 values per job: id, kind, target, input, engine, priority,
-- dedup_key, max_attempts, est_cost, course, requested_by. Jobs are taken in order, so a later job of the batch
-- with the same dedup key as an earlier one gets the earlier one.
-- Returns per job the creation time (ms) of the new job, or the hash of the live job with
-- the same dedup key.
local n = tonumber(ARGV[2])
local now = now_ms()
-- Numbers become text once: Redis would format each again for every field it is given.
local nows = tostring(now)
local last = redis.call('INCRBY', P .. ':seq', n)
local out, queued, all, ready, events = {}, {}, {}, {}, {}
for i = 1, n do
  local a = 2 + (i - 1) * 11
  local id, kind, target, input, engine = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local priority, dedup, max_attempts, est = ARGV[a + 6], ARGV[a + 7], ARGV[a + 8], ARGV[a + 9]
  local course, by = ARGV[a + 10], ARGV[a + 11]
  local existing = nil
  if dedup ~= '' then
    local other = redis.call('HGET', P .. ':dedup', dedup)
    if other then
      local st = redis.call('HGET', jk(other), 'state')
      if st and st ~= 'dead' and st ~= 'cancelled' then existing = other end
    end
  end
  if existing then
    out[i] = job_reply(existing)
  else
    local seqn = last - n + i
    local seq = tostring(seqn)
    local rank = rank_of(priority, seqn)
    -- Empty fields are left out, and so are the id (the key has it), progress (0) and the
    -- time of the last change (the creation): each field is work for every enqueue.
    local h = { 'seq', seq, 'kind', kind, 'input', input, 'priority', priority,
      'state', 'queued', 'attempts', '0', 'max_attempts', max_attempts, 'created_at', nows }
    if target ~= '' then
      h[#h + 1] = 'target'; h[#h + 1] = target
      redis.call('ZADD', P .. ':target:' .. target, seq, id)
    end
    if engine ~= '' then h[#h + 1] = 'engine'; h[#h + 1] = engine end
    if est ~= '' then h[#h + 1] = 'est_cost'; h[#h + 1] = est end
    if course ~= '' then h[#h + 1] = 'course'; h[#h + 1] = course end
    if by ~= '' then h[#h + 1] = 'by'; h[#h + 1] = by end
    if dedup ~= '' then
      h[#h + 1] = 'dedup_key'; h[#h + 1] = dedup
      redis.call('HSET', P .. ':dedup', dedup, id)
    end
    redis.call('HSET', jk(id), unpack(h))
    queued[#queued + 1] = seq; queued[#queued + 1] = id
    local r = ready[kind]
    if not r then r = {}; ready[kind] = r end
    r[#r + 1] = rank; r[#r + 1] = id
    if listened() then
      events[#events + 1] = { job_id = id, kind = kind, target = target, state = 'queued',
        attempts = 0, progress = 0, course = course, by = by }
    end
    out[i] = now
  end
end
if #queued > 0 then
  redis.call('ZADD', P .. ':state:queued', unpack(queued))
  for kind, members in pairs(ready) do
    redis.call('ZADD', P .. ':ready:' .. kind, unpack(members))
    signal_many(kind, #members / 2)
  end
  if listened() then redis.call('PUBLISH', P .. ':events', cjson.encode(events)) end
end
return out
