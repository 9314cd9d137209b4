import type { Action } from '../../../core/action.ts';
import { type ActionSet, actionSet, type CardElement, type ExecuteAction } from './adaptive-card.ts';
import { engineAction } from './card-action-codec.ts';
import { truncate } from './card-text.ts';

/** How a card looks: `open` with its buttons, or `done` after a click, showing what was chosen. */
export interface CardState {
  /** Set once answered: the card loses its buttons and inputs and shows this line instead. */
  chosen?: string | undefined;
}

function styleFor(action: Action): ExecuteAction['style'] {
  return action.type === 'consent' && action.accept ? 'positive' : undefined;
}

/** The reply's actions as buttons; an empty list gives no element at all. */
export function buttons(actions: Action[]): ActionSet[] {
  return actions.length === 0 ? [] : [actionSet(actions.map((a) => engineAction(a, styleFor(a))))];
}

/** The line a card shows in place of its buttons once answered. */
export function chosenLine(chosen: string): CardElement {
  return {
    type: 'TextBlock',
    text: `✓ ${truncate(chosen.replace(/\s+/g, ' '), 300)}`,
    wrap: true,
    isSubtle: true,
    spacing: 'medium',
  };
}
