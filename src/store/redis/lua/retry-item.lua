local list, lane, id, consumer = ARGV[1] .. ARGV[2], ARGV[2], ARGV[3], ARGV[5]
local head = redis.call('LINDEX', list, 0)
if head and cjson.decode(head).id == id then
  -- A deferral (a busy destination, ARGV[6] '0') is not an attempt.
  if ARGV[6] ~= '0' then redis.call('HINCRBY', KEYS[5], id, 1) end
  redis.call('ZADD', KEYS[1], tonumber(ARGV[4]), lane)
elseif head then
  -- Someone else finished it: the lane's next item is due as it was.
  redis.call('ZADD', KEYS[1], 'NX', tonumber(ARGV[4]), lane)
end
redis.call('HDEL', KEYS[4], id)
{{release-lane}}
return 1
