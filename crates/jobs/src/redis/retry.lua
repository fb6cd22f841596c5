-- ARGV: prefix, id
local id = ARGV[2]
local h = redis.call('HMGET', jk(id), 'state', 'dedup_key')
local state = h[1]
if not state then return { 'not_found' } end
if state ~= 'dead' and state ~= 'cancelled' then return { 'wrong_state', state } end
if h[2] and h[2] ~= '' then
  local other = redis.call('HGET', P .. ':dedup', h[2])
  if other and other ~= id then
    local other_state = redis.call('HGET', jk(other), 'state')
    if other_state and other_state ~= 'dead' and other_state ~= 'cancelled' then
      return { 'dedup_taken', other }
    end
  end
  redis.call('HSET', P .. ':dedup', h[2], id)
end
local now = now_ms()
move_state(id, state, 'queued')
redis.call('HSET', jk(id), 'attempts', 0, 'run_at', '', 'finished_at', '', 'progress', 0,
  'progress_message', '', 'updated_at', now)
to_ready(id)
publish(id)
return { 'ok', job_reply(id) }
