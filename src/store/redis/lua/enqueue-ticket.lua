if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[1]), ARGV[1])
return 1
