import type { AccountStore, QuestionLog, SettingsStore } from '../../core/ports.ts';
import type { EmbeddedState } from './embedded-state.ts';
import type { Mutation } from './mutation.ts';

/** Console accounts, run-time settings and the question log of the embedded store. */
export function embeddedAdminPorts(
  state: EmbeddedState,
  commit: (m: Mutation) => void,
  warn: (message: string) => void,
): { accounts: AccountStore; settings: SettingsStore; questions: QuestionLog } {
  const listeners = new Set<(version: number) => void>();
  const copyOfSettings = () =>
    structuredClone({ version: state.settings.version, values: state.settings.values });
  return {
    accounts: {
      async list() {
        return [...state.accounts.values()].map((a) => ({ ...a })).sort((a, b) => a.id.localeCompare(b.id));
      },
      async findByTokenHash(tokenHash) {
        for (const account of state.accounts.values())
          if (account.tokenHash === tokenHash) return { ...account };
        return undefined;
      },
      async put(account) {
        commit({ t: 'account.put', account: { ...account } });
      },
      async remove(id) {
        if (!state.accounts.has(id)) return false;
        commit({ t: 'account.del', id });
        return true;
      },
    },
    settings: {
      async current() {
        return copyOfSettings();
      },
      async set(key, value) {
        const version = state.settings.version + 1;
        commit({ t: 'setting', version, key, value: structuredClone(value) });
        for (const listener of listeners) {
          try {
            listener(version);
          } catch (error) {
            warn(`a settings change listener failed: ${String(error)}`);
          }
        }
        return copyOfSettings();
      },
      onChange(listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    },
    questions: {
      async add(question) {
        commit({ t: 'question', item: structuredClone(question) });
      },
      async addOutcome(outcome) {
        commit({ t: 'outcome', item: { ...outcome } });
      },
      async list(limit = Number.POSITIVE_INFINITY) {
        return structuredClone(state.questions.newest(limit));
      },
      async outcomes(limit = Number.POSITIVE_INFINITY) {
        return state.outcomes.newest(limit).map((o) => ({ ...o }));
      },
    },
  };
}
