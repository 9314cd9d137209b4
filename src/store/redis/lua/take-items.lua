local now, max, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
local lanes = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, max * 4 + 16)
for _, lane in ipairs(lanes) do
  if #out >= 3 * max then break end
  local leasedUntil = tonumber(redis.call('ZSCORE', KEYS[2], lane) or '0')
  if leasedUntil <= now then
    local head = redis.call('LINDEX', ARGV[4] .. lane, 0)
    if head then
      redis.call('ZADD', KEYS[2], now + lease, lane)
      redis.call('HSET', KEYS[3], lane, ARGV[5])
      local id = cjson.decode(head).id
      table.insert(out, head)
      table.insert(out, redis.call('HSETNX', KEYS[4], id, 1) == 0 and 1 or 0)
      table.insert(out, tonumber(redis.call('HGET', KEYS[5], id) or '0'))
    else
      redis.call('ZREM', KEYS[1], lane)
    end
  end
end
return out
