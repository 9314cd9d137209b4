/**
 * The Redis key layout. Every key starts with the configured prefix (REDIS_PREFIX, default `sb:`).
 * Curly braces mark Redis Cluster hash tags: keys that one command or script touches together
 * share a tag, so they land in one slot and no command crosses slots.
 *
 *   <p>{conv:<id>}            string  conversation record (JSON envelope), PX = idle TTL
 *   <p>dedupe:<key>           string  expiry time (epoch ms) of a seen event id, PX = its TTL
 *   <p>{tickets}:seq          string  last ticket number (INCR)
 *   <p>{tickets}:data         hash    ticket id -> ticket record (JSON envelope)
 *   <p>{queues}:seq           string  enqueue counter, the order inside queues
 *   <p>{queues}:q:<queue>     zset    ticket ids scored by enqueue order
 *   <p>{feedback}             list    feedback JSON, newest first, capped
 *   <p>{audit}                list    audit events JSON, newest first, capped
 *   <p>{unanswered}:seq       string  last question number
 *   <p>{unanswered}:data      hash    question id -> question JSON (without status)
 *   <p>{unanswered}:status    hash    question id -> status
 *   <p>{unanswered}:order     zset    question ids scored by number, capped
 *   <p>counters:<day>         hash    counter name -> count (HINCRBY)
 *
 * Tickets, queues and the lists each sit in one slot: they are small (people work them) and
 * need multi-key atomicity; the per-conversation keys, the high-volume part, spread out.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  conversation(id: string): string {
    return `${this.prefix}{conv:${id}}`;
  }
  dedupe(key: string): string {
    return `${this.prefix}dedupe:${key}`;
  }
  readonly ticketSeq = (): string => `${this.prefix}{tickets}:seq`;
  readonly tickets = (): string => `${this.prefix}{tickets}:data`;
  readonly queueSeq = (): string => `${this.prefix}{queues}:seq`;
  queue(name: string): string {
    return `${this.prefix}{queues}:q:${name}`;
  }
  readonly feedback = (): string => `${this.prefix}{feedback}`;
  readonly audit = (): string => `${this.prefix}{audit}`;
  readonly unansweredSeq = (): string => `${this.prefix}{unanswered}:seq`;
  readonly unansweredData = (): string => `${this.prefix}{unanswered}:data`;
  readonly unansweredStatus = (): string => `${this.prefix}{unanswered}:status`;
  readonly unansweredOrder = (): string => `${this.prefix}{unanswered}:order`;
  counters(day: string): string {
    return `${this.prefix}counters:${day}`;
  }
}
