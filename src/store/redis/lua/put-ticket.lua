redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
{{index-ticket}}
return 1
