import type { Action } from '../../src/core/action.ts';

/** The intake form of a printer problem, filled in completely: its submission opens a ticket. */
export const PRINTER_FORM_SUBMISSION: Action = {
  type: 'submit-form',
  label: 'Senden',
  values: {
    summary: 'Drucker druckt nicht',
    system: 'Drucker',
    error: 'Papierstau',
    since: 'heute',
    impact: 'one',
    urgency: 'hinders',
    contact: 'kim@example.com',
  },
};
