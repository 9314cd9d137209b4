local v = redis.call('INCR', KEYS[1])
local cap = tonumber(ARGV[1])
for i = 3, #KEYS do
  local field = ARGV[2 * (i - 2)]
  local json = '{"version":' .. v .. ',' .. string.sub(ARGV[2 * (i - 2) + 1], 2)
  redis.call('HSET', KEYS[2], field, json)
  redis.call('LPUSH', KEYS[i], json)
  redis.call('LTRIM', KEYS[i], 0, cap - 1)
end
return v
