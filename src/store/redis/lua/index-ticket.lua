-- Keeps a ticket's listing (the fields lists filter and sort on) and its status set in step with
-- its record, in the same script that writes the record: the console and the SLA check then read
-- the small listings and the open tickets instead of every ticket ever written.
-- Shared tail of the write scripts. KEYS: data, listing, one set per status. ARGV[1] id,
-- ARGV[3] listing JSON, ARGV[4] the status's place in TICKET_STATUSES (1-based).
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
for i = 3, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
redis.call('SADD', KEYS[2 + tonumber(ARGV[4])], ARGV[1])
