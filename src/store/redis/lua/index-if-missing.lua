if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
{{index-ticket}}
return 1
