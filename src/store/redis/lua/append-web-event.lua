local n = #ARGV - 3
local last = redis.call('INCRBY', KEYS[2], n)
for i = 1, n do
local seq = last - n + i
redis.call('RPUSH', KEYS[1], '{"seq":' .. seq .. ',"at":' .. ARGV[1] .. ',"reply":' .. ARGV[3 + i] .. '}')
end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return last
