import type { Reply } from './reply.ts';
import type { Turn } from './turn.ts';

/** What every channel needs of the engine: one turn in, its replies out. */
export interface TurnHandler {
  handle(turn: Turn): Promise<Reply[]>;
}
