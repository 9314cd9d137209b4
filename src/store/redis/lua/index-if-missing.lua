if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return 0 end
{{index-ticket}}
return 1
