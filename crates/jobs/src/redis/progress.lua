-- ARGV: prefix, id, token, percent, message
local id = ARGV[2]
if not holds(id, ARGV[3]) then return 0 end
redis.call('HSET', jk(id), 'progress', ARGV[4], 'progress_message', ARGV[5], 'updated_at', now_ms())
publish(id)
return 1
