import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../src/knowledge/knowledge-base.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;

describe('KnowledgeBase', () => {
  it('finds entries by id and language, falling back to the other language', async () => {
    const kb = new KnowledgeBase(await loadKnowledge(`${fixtures}knowledge-valid`));
    expect(kb.get('vpn-setup', 'de')?.title).toBe('VPN einrichten');
    expect(kb.get('vpn-setup', 'en')?.title).toBe('Set up the VPN');
    expect(kb.get('printer-jam', 'de')?.language).toBe('en');
    expect(kb.get('nope', 'de')).toBeUndefined();
    expect(kb.ids()).toEqual(['password-reset', 'printer-jam', 'vpn-setup']);
    expect(kb.size).toBe(3);
    expect(kb.all()).toHaveLength(5);
    expect(kb.titles('de')).toEqual([
      { id: 'password-reset', title: 'Passwort zurücksetzen' },
      { id: 'printer-jam', title: 'Paper jam in the printer' },
      { id: 'vpn-setup', title: 'VPN einrichten' },
    ]);
  });
});
