import { describe, expect, it } from 'vitest';
import { asksToEscalate } from '../../../src/core/escalation-request.ts';

describe('asksToEscalate', () => {
  it('hears escalation and urgency in German and English, in any case and form', () => {
    for (const text of [
      'Bitte SUP-1002 eskalieren, alle Kunden betroffen',
      'Das ist DRINGEND',
      'Eskalation bitte',
      'Kann das jemand eskalieren?',
      'Notfall! Nichts geht mehr',
      'please escalate',
      'This is urgent.',
      'escalated to my manager already, need help ASAP',
    ]) {
      expect(asksToEscalate(text), text).toBe(true);
    }
  });

  it('does not hear it inside other words or in ordinary updates', () => {
    for (const text of [
      'Es betrifft jetzt auch den Drucker',
      'The scanner has the same problem',
      'Ich habe eine Frage zur Rechnung',
      'deescalation of the alarm settings',
    ]) {
      expect(asksToEscalate(text), text).toBe(false);
    }
  });
});
