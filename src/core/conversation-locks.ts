/**
 * Serialises work per conversation inside one process: two quick messages (or a customer message
 * and an agent's action) on one conversation run one after the other, never interleaved.
 */
export class ConversationLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    // The tail never rejects, so one failed turn does not poison the next.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Conversations with work running or waiting (for tests and health). */
  get busy(): number {
    return this.tails.size;
  }
}
