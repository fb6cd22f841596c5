-- Shared by every script: ARGV[1] is the key prefix. Times are Redis server milliseconds
-- (TIME), never a client's clock. Numbers that do not fit in 14 digits are written with
-- string.format, since Lua would print them in exponent notation.
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function jk(id) return P .. ':job:' .. id end
local function move_state(id, from, to)
  local seq = redis.call('HGET', jk(id), 'seq')
  if from ~= '' then redis.call('ZREM', P .. ':state:' .. from, id) end
  redis.call('ZADD', P .. ':state:' .. to, seq, id)
  redis.call('HSET', jk(id), 'state', to)
end
local function publish(id)
  local f = redis.call('HMGET', jk(id), 'kind', 'target', 'state', 'attempts', 'progress',
    'progress_message', 'last_error', 'run_at')
  local event = { job_id = id, kind = f[1], target = f[2], state = f[3],
    attempts = tonumber(f[4]), progress = tonumber(f[5]), message = f[6],
    last_error = f[7], run_at = f[8] }
  redis.call('PUBLISH', P .. ':events', cjson.encode(event))
end
-- Publishes an event from values the script already has (no extra reads).
local function publish_event(id, kind, target, state, attempts, progress, message, last_error, run_at)
  redis.call('PUBLISH', P .. ':events', cjson.encode({ job_id = id, kind = kind,
    target = target, state = state, attempts = tonumber(attempts),
    progress = tonumber(progress), message = message, last_error = last_error,
    run_at = run_at }))
end
local function signal(kind, seq)
  -- Wakes one waiting worker. Trimmed now and then, so nobody waiting cannot grow it.
  redis.call('LPUSH', P .. ':signal:' .. kind, '1')
  if tonumber(seq) % 64 == 0 then redis.call('LTRIM', P .. ':signal:' .. kind, 0, 999) end
end
local function to_ready(id)
  local h = redis.call('HMGET', jk(id), 'kind', 'rank', 'seq')
  redis.call('ZADD', P .. ':ready:' .. h[1], h[2], id)
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
local function finished(id, now)
  redis.call('ZADD', P .. ':finished', now, id)
end
