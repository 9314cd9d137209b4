if redis.call('GETRANGE', KEYS[1], 0, string.len(ARGV[1]) - 1) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
local dropped = tonumber(ARGV[4])
if dropped > 0 then redis.call('LTRIM', KEYS[2], dropped, -1) end
local first, ttl = 5, 3
{{push-lines}}
return 1
