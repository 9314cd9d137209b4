import { describe, expect, it, vi } from 'vitest';
import type { Account } from '../../src/core/account.ts';
import type { Stores } from '../../src/core/ports.ts';

function account(id: string, tokenHash: string, role: Account['role'] = 'agent'): Account {
  return { id, name: id, role, tokenHash, createdAt: 1, createdBy: 'admin' };
}

/**
 * Console accounts, run-time settings and the question log. Called from describeStoreContract
 * with its `open`, so every implementation runs it.
 */
export function describeAdminPortsContract(open: () => Promise<Stores>): void {
  describe('accounts', () => {
    it('finds an account by its token hash until it is replaced or removed', async () => {
      const { accounts } = await open();
      await accounts.put(account('erika', 'h1'));
      await accounts.put(account('anna', 'h2', 'curator'));
      expect((await accounts.list()).map((a) => a.id)).toEqual(['anna', 'erika']);
      expect((await accounts.findByTokenHash('h1'))?.id).toBe('erika');
      // A new token replaces the old one.
      await accounts.put(account('erika', 'h3', 'admin'));
      expect(await accounts.findByTokenHash('h1')).toBeUndefined();
      expect(await accounts.findByTokenHash('h3')).toMatchObject({ id: 'erika', role: 'admin' });
      expect(await accounts.remove('erika')).toBe(true);
      expect(await accounts.remove('erika')).toBe(false);
      expect(await accounts.findByTokenHash('h3')).toBeUndefined();
      expect((await accounts.list()).map((a) => a.id)).toEqual(['anna']);
    });
  });

  describe('settings', () => {
    it('keeps values under increasing versions and tells listeners', async () => {
      const { settings } = await open();
      expect(await settings.current()).toEqual({ version: 0, values: {} });
      const seen: number[] = [];
      const stop = settings.onChange((version) => seen.push(version));
      await settings.set('matching', { threshold: 0.5, margin: 0.3 });
      const after = await settings.set('matching', { threshold: 0.45, margin: 0.3 });
      expect(after).toEqual({ version: 2, values: { matching: { threshold: 0.45, margin: 0.3 } } });
      await vi.waitFor(() => expect(seen).toContain(2));
      stop();
    });
  });

  describe('question log', () => {
    it('lists questions and outcomes newest first', async () => {
      const { questions } = await open();
      const asked = {
        conversationId: 'web:1',
        language: 'de' as const,
        candidates: [{ kind: 'faq' as const, id: 'vpn-setup', score: 0.7 }],
      };
      await questions.add({ ...asked, at: 1, text: 'VPN?' });
      await questions.add({ ...asked, at: 2, text: 'Drucker?', outOfScope: true });
      await questions.addOutcome({
        at: 3,
        conversationId: 'web:1',
        text: 'VPN?',
        right: 'vpn-setup',
        by: 'feedback',
      });
      expect((await questions.list()).map((q) => q.text)).toEqual(['Drucker?', 'VPN?']);
      expect(await questions.list(1)).toEqual([{ ...asked, at: 2, text: 'Drucker?', outOfScope: true }]);
      expect(await questions.outcomes()).toEqual([
        { at: 3, conversationId: 'web:1', text: 'VPN?', right: 'vpn-setup', by: 'feedback' },
      ]);
    });
  });
}
