-- Frees a lane's lease when `consumer` still holds it (shared by done and retry).
if redis.call('HGET', KEYS[3], lane) == consumer then
  redis.call('ZREM', KEYS[2], lane)
  redis.call('HDEL', KEYS[3], lane)
end
