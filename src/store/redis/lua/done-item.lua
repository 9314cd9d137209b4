local list, lane, id, consumer = ARGV[1] .. ARGV[2], ARGV[2], ARGV[3], ARGV[6]
local head = redis.call('LINDEX', list, 0)
if head and cjson.decode(head).id == id then
  redis.call('LPOP', list)
  redis.call('SREM', KEYS[5], id)
  redis.call('HDEL', KEYS[6], id)
end
redis.call('SET', ARGV[4] .. id, '1', 'PX', ARGV[5])
redis.call('HDEL', KEYS[4], id)
{{release-lane}}
if redis.call('LLEN', list) == 0 then redis.call('ZREM', KEYS[1], lane) else redis.call('ZADD', KEYS[1], ARGV[7], lane) end
return 1
