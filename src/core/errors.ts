/** An error with a stable code, for logs and for the per-turn error boundary. */
export class SupportBotError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SupportBotError';
    this.code = code;
  }
}

/** One problem found while validating a file or the environment. */
export interface ValidationProblem {
  /** File path (or `env`) the problem is in. */
  source: string;
  /** Field path inside it, e.g. `questions[2]` or `PORT`. */
  field: string;
  message: string;
}

/** Thrown at start-up when config or knowledge is broken; lists every problem at once. */
export class ValidationFailedError extends SupportBotError {
  readonly problems: ValidationProblem[];
  constructor(what: string, problems: ValidationProblem[]) {
    const lines = problems.map((p) => `  ${p.source}: ${p.field}: ${p.message}`);
    super('validation_failed', `${what}: ${problems.length} problem(s)\n${lines.join('\n')}`);
    this.name = 'ValidationFailedError';
    this.problems = problems;
  }
}

/**
 * Someone else wrote the conversation while this turn or action worked on it (another process,
 * an agent). Raised where a conversation write returns `conflict`; the engine re-runs the turn on
 * the fresh state.
 */
export class ConversationConflictError extends SupportBotError {
  constructor(conversationId: string) {
    super('conversation_conflict', `conversation ${conversationId} was changed meanwhile`);
    this.name = 'ConversationConflictError';
  }
}
