-- Lua's unpack takes a few thousand values at most: lines go to RPUSH in batches.
for i = first, #ARGV, 500 do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 499, #ARGV)))
end
redis.call('PEXPIRE', KEYS[2], ARGV[ttl])
