for i = 4, #ARGV, 3 do
  local lane, id = ARGV[i], ARGV[i + 1]
  if redis.call('EXISTS', ARGV[1] .. id) == 0 and redis.call('SISMEMBER', KEYS[2], id) == 0 then
    redis.call('RPUSH', ARGV[2] .. lane, ARGV[i + 2])
    redis.call('SADD', KEYS[2], id)
    redis.call('ZADD', KEYS[1], 'NX', ARGV[3], lane)
  end
end
return 1
