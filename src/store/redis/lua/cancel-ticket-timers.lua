local members = redis.call('SMEMBERS', KEYS[3])
for _, m in ipairs(members) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], m)
end
redis.call('DEL', KEYS[3])
return #members
