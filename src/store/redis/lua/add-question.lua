local n = redis.call('INCR', KEYS[1])
local id = ARGV[1] .. n
redis.call('HSET', KEYS[2], id, ARGV[2])
redis.call('HSET', KEYS[3], id, 'open')
redis.call('ZADD', KEYS[4], n, id)
local excess = redis.call('ZCARD', KEYS[4]) - tonumber(ARGV[3])
if excess > 0 then
  local old = redis.call('ZRANGE', KEYS[4], 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[4], 0, excess - 1)
  redis.call('HDEL', KEYS[2], unpack(old))
  redis.call('HDEL', KEYS[3], unpack(old))
end
return id
