/**
 * The Redis key layout. Every key starts with the configured prefix (REDIS_PREFIX, default `sb:`).
 * Curly braces mark Redis Cluster hash tags: keys that one command or script touches together
 * share a tag, so they land in one slot and no command crosses slots.
 *
 *   <p>{conv:<id>}            string  conversation record (JSON envelope with a per-write revision), PX = idle TTL
 *   <p>{conv:<id>}:lines      list    the conversation's transcript lines (JSON each), PX = idle TTL
 *   <p>dedupe:<key>           string  expiry time (epoch ms) of a seen event id, PX = its TTL
 *   <p>{tickets}:seq          string  last ticket number (INCR)
 *   <p>{tickets}:data         hash    ticket id -> ticket record (JSON envelope)
 *   <p>{tickets}:listing      hash    ticket id -> listing JSON (status, queue, customer, created)
 *   <p>{tickets}:figures      hash    ticket id -> what reports read of it (TicketFigures JSON)
 *   <p>{tickets}:status:<s>   set     ids of the tickets with status s
 *   <p>{queues}:seq           string  enqueue counter, the order inside queues
 *   <p>{queues}:q:<queue>     zset    ticket ids scored by enqueue order
 *   <p>{feedback}             list    feedback JSON, newest first, capped
 *   <p>{audit}                list    audit events JSON, newest first, capped
 *   <p>{unanswered}:seq       string  last question number
 *   <p>{unanswered}:data      hash    question id -> question JSON (without status)
 *   <p>{unanswered}:status    hash    question id -> status
 *   <p>{unanswered}:order     zset    question ids scored by number, capped
 *   <p>counters:<day>         hash    counter name -> count (HINCRBY)
 *   <p>{sla}:due              zset    `<ticket>|<name>` scored by due time (or lease end once claimed)
 *   <p>{sla}:at               hash    `<ticket>|<name>` -> due time
 *   <p>{sla}:t:<ticket>       set     the ticket's timer members, to cancel them together
 *   <p>{knowledge}:version    string  knowledge version (INCR)
 *   <p>{knowledge}:current    hash    `<id>|<language>` -> latest revision JSON
 *   <p>{knowledge}:h:<id>|<l> list    revisions of one entry, newest first, capped
 *   <p>knowledge-changed      pub/sub channel: the new version, published on every change
 *   <p>{accounts}             hash    account id -> account JSON (with the token's hash)
 *   <p>{accounts}:tokens      hash    token hash -> account id
 *   <p>{settings}:version     string  settings version (INCR)
 *   <p>{settings}:values      hash    setting -> value JSON
 *   <p>settings-changed       pub/sub channel: the new settings version
 *   <p>{questions}            list    logged customer questions JSON, newest first, capped
 *   <p>{outcomes}             list    what is known about their right answers, newest first, capped
 *   <p>{announcements}        hash    maintenance window / incident id -> JSON (with its revision)
 *   <p>{announcements}:links:<id>  hash  conversation id -> a customer's report on it (JSON)
 *   <p>sentence-vectors:<m>   hash    vector key (hash of model m and text) -> float32 bytes of a phrasing's vector
 *
 * Tickets, queues and the lists each sit in one slot: they are small (people work them) and
 * need multi-key atomicity; the per-conversation keys, the high-volume part, spread out.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  conversation(id: string): string {
    return `${this.prefix}{conv:${id}}`;
  }
  conversationLines(id: string): string {
    return `${this.prefix}{conv:${id}}:lines`;
  }
  dedupe(key: string): string {
    return `${this.prefix}dedupe:${key}`;
  }
  readonly ticketSeq = (): string => `${this.prefix}{tickets}:seq`;
  readonly tickets = (): string => `${this.prefix}{tickets}:data`;
  readonly ticketListings = (): string => `${this.prefix}{tickets}:listing`;
  readonly ticketFigures = (): string => `${this.prefix}{tickets}:figures`;
  ticketsWithStatus(status: string): string {
    return `${this.prefix}{tickets}:status:${status}`;
  }
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
  readonly slaDue = (): string => `${this.prefix}{sla}:due`;
  readonly slaAt = (): string => `${this.prefix}{sla}:at`;
  slaOfTicket(ticketId: string): string {
    return `${this.prefix}{sla}:t:${ticketId}`;
  }
  readonly knowledgeVersion = (): string => `${this.prefix}{knowledge}:version`;
  readonly knowledgeCurrent = (): string => `${this.prefix}{knowledge}:current`;
  knowledgeHistory(id: string, language: string): string {
    return `${this.prefix}{knowledge}:h:${id}|${language}`;
  }
  readonly knowledgeChannel = (): string => `${this.prefix}knowledge-changed`;
  readonly accounts = (): string => `${this.prefix}{accounts}`;
  readonly announcements = (): string => `${this.prefix}{announcements}`;
  /** Same hash slot as the announcements: a write of one moves reports kept in it before. */
  readonly announcementLinks = (id: string): string => `${this.prefix}{announcements}:links:${id}`;
  readonly accountTokens = (): string => `${this.prefix}{accounts}:tokens`;
  readonly settingsVersion = (): string => `${this.prefix}{settings}:version`;
  readonly settingsValues = (): string => `${this.prefix}{settings}:values`;
  readonly settingsChannel = (): string => `${this.prefix}settings-changed`;
  readonly questions = (): string => `${this.prefix}{questions}`;
  readonly outcomes = (): string => `${this.prefix}{outcomes}`;
  webEvents(conversationId: string): string {
    return `${this.prefix}web:{${conversationId}}:events`;
  }
  webSeq(conversationId: string): string {
    return `${this.prefix}web:{${conversationId}}:seq`;
  }
  webAccess(conversationId: string): string {
    return `${this.prefix}web:{${conversationId}}:access`;
  }
  /** Pub/sub: a conversation id is published here when a reply is pushed to it. */
  readonly webChannel = (): string => `${this.prefix}web:events`;
  /** The outbox's keys share one hash tag: its scripts touch the index and the lanes together. */
  readonly outboxReady = (): string => `${this.prefix}{outbox}:ready`;
  readonly outboxIds = (): string => `${this.prefix}{outbox}:ids`;
  readonly outboxLeased = (): string => `${this.prefix}{outbox}:leased`;
  readonly outboxHolder = (): string => `${this.prefix}{outbox}:holder`;
  readonly outboxHanded = (): string => `${this.prefix}{outbox}:handed`;
  readonly outboxAttempts = (): string => `${this.prefix}{outbox}:attempts`;
  readonly outboxLanePrefix = (): string => `${this.prefix}{outbox}:lane:`;
  readonly outboxDonePrefix = (): string => `${this.prefix}{outbox}:done:`;
  response(key: string): string {
    return `${this.prefix}response:${key}`;
  }
  sentenceVectors(modelId: string): string {
    return `${this.prefix}sentence-vectors:${modelId}`;
  }
}
