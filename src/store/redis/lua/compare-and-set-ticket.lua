if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[6] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
{{index-ticket}}
return 1
