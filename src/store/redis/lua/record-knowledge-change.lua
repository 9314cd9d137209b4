local v = redis.call('INCR', KEYS[1])
local json = '{"version":' .. v .. ',' .. string.sub(ARGV[2], 2)
redis.call('HSET', KEYS[2], ARGV[1], json)
redis.call('LPUSH', KEYS[3], json)
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
return json
