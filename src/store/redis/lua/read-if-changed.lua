if ARGV[1] ~= '' and redis.call('GETRANGE', KEYS[1], 0, string.len(ARGV[1]) - 1) == ARGV[1] then return 1 end
local record = redis.call('GET', KEYS[1])
if not record then return 0 end
return { record, redis.call('LRANGE', KEYS[2], 0, -1) }
