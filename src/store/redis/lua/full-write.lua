local head = redis.call('GETRANGE', KEYS[1], 0, 160)
local current = ''
if head ~= '' then
  current = string.match(head, '^{"v":%d+,"exp":%d+,"rev":"([^"]*)"') or '{{LEGACY_REVISION}}'
end
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('DEL', KEYS[2])
local first, ttl = 4, 3
{{push-lines}}
return 1
