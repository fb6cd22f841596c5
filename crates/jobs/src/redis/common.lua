-- Shared by every script: ARGV[1] is the key prefix. Times are Redis server milliseconds
-- (TIME), never a client's clock. Numbers that do not fit in 14 digits are written with
-- string.format, since Lua would print them in exponent notation.
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function jk(id) return P .. ':job:' .. id end
-- A job's hash as a reply, with its id (the key holds it; the hash does not).
local function job_reply(id)
  local f = redis.call('HGETALL', jk(id))
  if #f > 0 then f[#f + 1] = 'id'; f[#f + 1] = id end
  return f
end
-- Where a job waits in its kind's ready set: higher priority first, then older first.
local function rank_of(priority, seq)
  return string.format('%.0f', (100 - tonumber(priority)) * 1099511627776 + tonumber(seq))
end
-- Running jobs are indexed by P:leases alone; every other state has P:state:<state>.
local function move_state(id, from, to)
  local seq = redis.call('HGET', jk(id), 'seq')
  if from ~= '' and from ~= 'running' then redis.call('ZREM', P .. ':state:' .. from, id) end
  redis.call('ZADD', P .. ':state:' .. to, seq, id)
  redis.call('HSET', jk(id), 'state', to)
end
-- Events go out on P:events as one JSON object, or an array of them from a batch. Building
-- them is a good part of a script's work, so it is done only while someone listens.
local listening = nil
local function listened()
  if listening == nil then
    listening = redis.call('PUBSUB', 'NUMSUB', P .. ':events')[2] > 0
  end
  return listening
end
local function publish(id)
  if not listened() then return end
  local f = redis.call('HMGET', jk(id), 'kind', 'target', 'state', 'attempts', 'progress',
    'progress_message', 'last_error', 'run_at', 'course', 'by')
  local event = { job_id = id, kind = f[1], target = f[2] or '', state = f[3],
    attempts = tonumber(f[4]) or 0, progress = tonumber(f[5]) or 0, message = f[6] or '',
    last_error = f[7] or '', run_at = f[8] or '', course = f[9] or '', by = f[10] or '' }
  redis.call('PUBLISH', P .. ':events', cjson.encode(event))
end
local function signal(kind, seq)
  -- Wakes one waiting worker. Trimmed now and then, so nobody waiting cannot grow it.
  redis.call('LPUSH', P .. ':signal:' .. kind, '1')
  if tonumber(seq) % 64 == 0 then redis.call('LTRIM', P .. ':signal:' .. kind, 0, 999) end
end
-- Wakes up to `count` waiting workers (a batch of new jobs); trimmed at once.
local function signal_many(kind, count)
  local ones = {}
  for i = 1, math.min(count, 32) do ones[i] = '1' end
  redis.call('LPUSH', P .. ':signal:' .. kind, unpack(ones))
  redis.call('LTRIM', P .. ':signal:' .. kind, 0, 999)
end
local function to_ready(id)
  local h = redis.call('HMGET', jk(id), 'kind', 'priority', 'seq')
  redis.call('ZADD', P .. ':ready:' .. h[1], rank_of(h[2], h[3]), id)
  signal(h[1], h[3])
end
local function engine_stopped(id)
  local engine = redis.call('HGET', jk(id), 'engine')
  if engine and engine ~= '' then
    local k = P .. ':engine:running:' .. engine
    if tonumber(redis.call('GET', k) or '0') > 0 then redis.call('DECR', k) end
  end
end
local function holds(id, token)
  local h = redis.call('HMGET', jk(id), 'state', 'lease_token')
  return h[1] == 'running' and h[2] == token
end
-- Forgets up to `budget` succeeded or cancelled jobs (oldest first) that finished before
-- `cutoff`. Jobs finish roughly in queue order, so it stops at the first one still kept.
local function prune(state, budget, cutoff)
  local key = P .. ':state:' .. state
  while budget > 0 do
    local ids = redis.call('ZRANGE', key, 0, math.min(budget, 8) - 1)
    if #ids == 0 then return end
    for _, gone in ipairs(ids) do
      local g = redis.call('HMGET', jk(gone), 'finished_at', 'target', 'dedup_key')
      local f = tonumber(g[1])
      if f and f >= cutoff then return end
      redis.call('ZREM', key, gone)
      if g[2] and g[2] ~= '' then redis.call('ZREM', P .. ':target:' .. g[2], gone) end
      if g[3] and g[3] ~= '' and redis.call('HGET', P .. ':dedup', g[3]) == gone then
        redis.call('HDEL', P .. ':dedup', g[3])
      end
      redis.call('DEL', jk(gone))
      budget = budget - 1
    end
  end
end
