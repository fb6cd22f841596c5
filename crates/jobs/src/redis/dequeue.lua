-- ARGV: prefix, worker, lease_ms, max, kind count N, N kinds, then `max` lease tokens
-- (`take` comes from take.lua.)
local max, nk = tonumber(ARGV[4]), tonumber(ARGV[5])
local kinds, tokens = {}, {}
for k = 1, nk do kinds[k] = ARGV[5 + k] end
for t = 1, max do tokens[t] = ARGV[5 + nk + t] end
return take(ARGV[2], tonumber(ARGV[3]), max, kinds, tokens)
