-- Lanes are in `ready` only while no one holds them: a held lane is in `leased` alone, so a take
-- reads the lanes it can have instead of every lane under way in every process. A lane whose
-- lease ran out (its holder died) is taken from `leased`. `ready` may still name a held lane (an
-- item added to it meanwhile): the lease decides.
local now, max, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
local function takeLane(lane)
  local head = redis.call('LINDEX', ARGV[4] .. lane, 0)
  if head then
    redis.call('ZADD', KEYS[2], now + lease, lane)
    redis.call('HSET', KEYS[3], lane, ARGV[5])
    redis.call('ZREM', KEYS[1], lane)
    local id = cjson.decode(head).id
    table.insert(out, head)
    table.insert(out, redis.call('HSETNX', KEYS[4], id, 1) == 0 and 1 or 0)
    table.insert(out, tonumber(redis.call('HGET', KEYS[5], id) or '0'))
  else
    redis.call('ZREM', KEYS[1], lane)
    redis.call('ZREM', KEYS[2], lane)
    redis.call('HDEL', KEYS[3], lane)
  end
end
for _, lane in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, max)) do
  if #out >= 3 * max then break end
  takeLane(lane)
end
for _, lane in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, max * 4 + 16)) do
  if #out >= 3 * max then break end
  local leasedUntil = tonumber(redis.call('ZSCORE', KEYS[2], lane) or '0')
  if leasedUntil <= now then takeLane(lane) end
end
return out
