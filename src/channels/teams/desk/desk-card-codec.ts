import type { ExecuteAction } from '../cards/adaptive-card.ts';

/** The buttons of a ticket card in a Teams agent channel. */
export const DESK_OPS = ['claim', 'resolve', 'escalate', 'give-back', 'save-faq'] as const;
export type DeskOp = (typeof DESK_OPS)[number];

export const DESK_VERB = 'sb.desk';
/** The escalation inputs on the card; Teams merges their values into the clicked button's data. */
export const ESCALATE_TARGET_INPUT = 'sb_desk_target';
export const ESCALATE_REASON_INPUT = 'sb_desk_reason';
/** "Save as FAQ": the question and the answer, as the agent edited them. */
export const FAQ_QUESTION_INPUT = 'sb_desk_question';
export const FAQ_ANSWER_INPUT = 'sb_desk_answer';
/** Choice value for third-level support among the queues. */
export const THIRD_LEVEL_TARGET = 'level3';

export interface DeskCommand {
  op: DeskOp;
  ticketId: string;
  /** For escalate: a queue id or THIRD_LEVEL_TARGET. */
  target?: string | undefined;
  reason?: string | undefined;
  /** For save-faq. */
  question?: string | undefined;
  answer?: string | undefined;
}

const TICKET_ID = /^[A-Za-z0-9-]{1,40}$/;

export function deskAction(title: string, op: DeskOp, ticketId: string, positive = false): ExecuteAction {
  const action: ExecuteAction = {
    type: 'Action.Execute',
    title,
    verb: DESK_VERB,
    data: { sbDesk: { op, ticketId } },
    // Only Escalate and Save as FAQ send inputs; Claim must not fail because a dropdown is empty.
    associatedInputs: op === 'escalate' || op === 'save-faq' ? 'auto' : 'none',
  };
  if (positive) action.style = 'positive';
  return action;
}

/**
 * The agent's command in a clicked card's data, or undefined when it is not a desk button (a
 * customer's card, a foreign or tampered payload): checked like any client input.
 */
export function decodeDeskCommand(data: unknown): DeskCommand | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const record = data as Record<string, unknown>;
  const desk = record.sbDesk as { op?: unknown; ticketId?: unknown } | undefined;
  if (typeof desk !== 'object' || desk === null) return undefined;
  const op = DESK_OPS.find((o) => o === desk.op);
  if (!op || typeof desk.ticketId !== 'string' || !TICKET_ID.test(desk.ticketId)) return undefined;
  const command: DeskCommand = { op, ticketId: desk.ticketId };
  if (op === 'escalate') {
    const target = record[ESCALATE_TARGET_INPUT];
    const reason = record[ESCALATE_REASON_INPUT];
    if (typeof target === 'string' && target.trim()) command.target = target.trim().slice(0, 100);
    if (typeof reason === 'string' && reason.trim()) command.reason = reason.trim().slice(0, 1000);
  }
  if (op === 'save-faq') {
    const question = record[FAQ_QUESTION_INPUT];
    const answer = record[FAQ_ANSWER_INPUT];
    if (typeof question === 'string') command.question = question.trim().slice(0, 1000);
    if (typeof answer === 'string') command.answer = answer.trim().slice(0, 20_000);
  }
  return command;
}
