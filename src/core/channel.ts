import type { ReplySink } from './delivery.ts';
import type { ChannelKind } from './turn.ts';

/**
 * What every started channel (web, Slack, Teams) gives the server that runs it: which it is, how
 * it runs, the sink that reaches its customers later (registered with the delivery router), and
 * a drain: `idle` once what it received is handled, `stop` when it must take nothing more. Each
 * mounts its own routes on the one HTTP server when it starts.
 */
export interface Channel {
  readonly kind: ChannelKind;
  /** How it runs, for the start-up log: `on`, `http`, `socket`, `authenticated`, `local`, `off`. */
  readonly mode: string;
  readonly sink?: ReplySink | undefined;
  /** Resolves once received requests are processed and what they sent is handed over. */
  idle(): Promise<void>;
  /** Stops receiving and sending; the HTTP server itself is stopped by its owner. */
  stop(): Promise<void>;
}
