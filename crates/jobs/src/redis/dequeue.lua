-- ARGV: prefix, worker, lease_ms, max, kind count N, N kinds, engine count E (-1: the
-- worker has every engine), E engines, then `max` lease tokens.
-- (`take` and `engine_set` come from take.lua.)
local max, nk = tonumber(ARGV[4]), tonumber(ARGV[5])
local kinds, tokens = {}, {}
for k = 1, nk do kinds[k] = ARGV[5 + k] end
local engines, ne = engine_set(ARGV, 6 + nk)
for t = 1, max do tokens[t] = ARGV[5 + nk + ne + t] end
return take(ARGV[2], tonumber(ARGV[3]), max, kinds, tokens, engines)
