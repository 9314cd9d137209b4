import type { Action, ActionType } from '../../core/action.ts';

/**
 * The engine's actions travel through Slack inside the button: `action_id` says "this is an
 * engine action", `value` is the action itself (JSON, well under Slack's 2,000 characters).
 * A click brings the value back unchanged and it goes into the Turn as it is.
 */
export const ENGINE_ACTION_PREFIX = 'sb_action_';
export const ENGINE_ACTION_PATTERN = /^sb_action_/;
/** The native feedback element (👍/👎) under an answer. */
export const FEEDBACK_ACTION_ID = 'sb_feedback';
/** "Fill in a form" under an intake question: opens the intake modal. */
export const OPEN_INTAKE_FORM_ACTION_ID = 'sb_open_intake_form';

/** Action ids of the agent-facing ticket card; the button value is the ticket id. */
export const TICKET_ACTION = {
  claim: 'sb_ticket_claim',
  resolve: 'sb_ticket_resolve',
  escalate: 'sb_ticket_escalate',
  giveBack: 'sb_ticket_give_back',
  saveAsFaq: 'sb_ticket_save_faq',
} as const;

/** Admin App Home and `/faq`. */
export const ADMIN_ACTION = {
  addFaq: 'sb_admin_add_faq',
  refreshHome: 'sb_admin_refresh_home',
} as const;

/** callback_ids of modals and shortcuts (the shortcuts' ids are also in manifest.json). */
export const CALLBACK = {
  intakeModal: 'sb_intake_modal',
  escalateModal: 'sb_escalate_modal',
  faqModal: 'sb_faq_modal',
  saveFaqModal: 'sb_save_faq_modal',
  reportProblemShortcut: 'report_problem',
  askAboutMessageShortcut: 'ask_about_message',
  saveAsFaqShortcut: 'save_as_faq',
} as const;

const ACTION_TYPES: ReadonlySet<ActionType> = new Set<ActionType>([
  'show-entry',
  'feedback',
  'talk-to-person',
  'none-of-these',
  'consent',
  'choose-value',
  'skip',
  'submit-form',
  'cancel',
  'escalate',
  'rate',
  'reopen',
]);

export function encodeAction(action: Action): string {
  return JSON.stringify(action);
}

/** The action inside a button value, or undefined for anything that is not one of ours. */
export function decodeAction(value: string | undefined): Action | undefined {
  if (!value) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const candidate = parsed as { type?: unknown; label?: unknown };
  if (typeof candidate.type !== 'string' || !ACTION_TYPES.has(candidate.type as ActionType)) return undefined;
  if (typeof candidate.label !== 'string') return undefined;
  return parsed as Action;
}
