import { beforeAll, describe, expect, it } from 'vitest';
import { loadSupportConfig, type SupportConfig } from '../../../src/handoff/support-config.ts';
import { IntakeFlow } from '../../../src/intake/intake-flow.ts';

let config: SupportConfig;
let flow: IntakeFlow;

beforeAll(async () => {
  config = await loadSupportConfig('config/support.yaml');
  flow = new IntakeFlow(config);
});

describe('intake flow', () => {
  it('starts with the summary proposal from the first question', () => {
    const { state, replies } = flow.begin(
      { queue: 'network', billable: false, reason: 'person', question: 'VPN bricht ständig ab' },
      'de',
    );
    expect(replies.map((r) => r.type)).toEqual(['notice', 'ask']);
    expect(state).toMatchObject({ queue: 'network', asking: 'summary', proposed: 'VPN bricht ständig ab' });
    const outcome = flow.step(state, { text: 'nein' }, 'de');
    expect(outcome.kind).toBe('continue');
    expect(state.proposed).toBeUndefined();
    expect(state.values.summary).toBeUndefined();
  });

  it('"skip" skips even when the matcher calls it a cancel intent', () => {
    const { state } = flow.begin({ queue: 'general', billable: false, reason: 'person' }, 'en');
    state.values = { summary: 'Printer jams', system: 'Printer' };
    state.asking = 'error';
    const outcome = flow.step(state, { text: 'skip', intent: 'cancel' }, 'en');
    expect(outcome.kind).toBe('continue');
    expect(state.skipped).toEqual(['error']);
    expect(flow.step(state, { text: 'stop', intent: 'cancel' }, 'en').kind).toBe('cancelled');
  });

  it('an answer among the choices ("it can wait") is the answer, even when the matcher calls it a cancel intent', () => {
    const { state } = flow.begin({ queue: 'general', billable: false, reason: 'person' }, 'en');
    state.values = { summary: 'Printer jams', system: 'Printer', since: 'today', impact: 'one' };
    state.asking = 'urgency';
    const outcome = flow.step(state, { text: 'it can wait', intent: 'cancel' }, 'en');
    expect(outcome.kind).toBe('continue');
    expect(state.values.urgency).toBeDefined();
    state.asking = 'impact';
    expect(flow.step(state, { text: 'stop', intent: 'cancel' }, 'en').kind).toBe('cancelled');
  });

  it('gives up gracefully after the configured attempts: free text is kept as written', () => {
    const { state } = flow.begin({ queue: 'general', billable: false, reason: 'person' }, 'en');
    state.values = {
      summary: 'Printer jams',
      system: 'Printer',
      since: 'today',
      impact: 'one',
      urgency: 'hinders',
    };
    state.skipped = ['error'];
    state.asking = 'contact';
    for (let i = 1; i < config.intake.maxAttempts; i++) {
      const outcome = flow.step(state, { text: 'ask my boss' }, 'en');
      expect(outcome.kind).toBe('continue');
    }
    const last = flow.step(state, { text: 'ask my boss' }, 'en');
    expect(last.kind).toBe('complete');
    expect(state.values.contact).toBe('ask my boss');
  });

  it('asks for consent first on billable topics and understands a typed "ja"', () => {
    const { state, replies } = flow.begin({ queue: 'billing', billable: true, reason: 'person' }, 'de');
    expect(replies[1]?.actions.filter((a) => a.type === 'consent')).toHaveLength(2);
    const outcome = flow.step(state, { text: 'Ja' }, 'de');
    expect(state.consent).toBe(true);
    expect(outcome.replies.at(-1)?.type).toBe('ask');
  });
});
