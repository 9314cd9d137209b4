-- Keeps a ticket's listing (the fields lists filter and sort on), its figures (what reports
-- read) and its status set in step with its record, in the same script that writes the record:
-- the console, the SLA check and the reports then read these small entries and the open tickets
-- instead of every ticket ever written.
-- Shared tail of the write scripts. KEYS: data, listing, figures, one set per status. ARGV[1] id,
-- ARGV[3] listing JSON, ARGV[4] the status's place in TICKET_STATUSES (1-based), ARGV[5] figures JSON.
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
for i = 4, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
redis.call('SADD', KEYS[3 + tonumber(ARGV[4])], ARGV[1])
