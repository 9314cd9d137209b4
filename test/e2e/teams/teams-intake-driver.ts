import { expect } from 'vitest';
import type { ConnectorCall } from '../../support/teams-connector-stand-in.ts';
import { buttonFor, cardOf, executeActions, inputIds, type TeamsCustomer } from './teams-fixture.ts';

/** What a customer would enter for a free-text intake field. */
export function answerFor(field: string): string {
  if (field === 'contact') return 'erika.mustermann@example.com';
  if (field === 'system') return 'Drucker';
  if (field === 'since') return 'seit heute Morgen';
  if (field === 'error') return 'Fehler 0x0000011b';
  return 'Der Drucker im zweiten Stock druckt nur leere Seiten';
}

/**
 * Clicks through intake the way a person would in Teams: consent if asked, the first option of a
 * choice, the card's input + "Send" for free text. Stops at the ticket card and returns it.
 */
export async function completeIntake(customer: TeamsCustomer, from: number): Promise<ConnectorCall> {
  let seen = from;
  for (let step = 0; step < 20; step++) {
    const fresh = customer.messages().slice(seen);
    seen = customer.messages().length;
    // The ticket confirmation is the one message with a FactSet.
    const ticket = fresh.find((m) => JSON.stringify(cardOf(m) ?? {}).includes('"type":"FactSet"'));
    if (ticket) return ticket;
    const asking = [...fresh].reverse().find((m) => executeActions(cardOf(m)).length > 0);
    expect(asking, 'the bot asked for nothing more, but no ticket came').toBeDefined();
    const card = cardOf(asking);
    const messageId = asking?.createdId as string;
    const consent = buttonFor(card, (a) => a.type === 'consent' && a.accept === true);
    const pick = buttonFor(card, (a) => a.type === 'choose-value');
    const inputs = inputIds(card);
    let result: { status: number };
    if (consent) result = await customer.execute(messageId, consent.data);
    else if (inputs.length === 1) {
      const field = (inputs[0] as string).replace(/^sb_field_/, '');
      const send = executeActions(card).find((a) => a.verb === 'sb.form');
      result = await customer.execute(
        messageId,
        { ...send?.data, [inputs[0] as string]: answerFor(field) },
        'sb.form',
      );
    } else if (pick) result = await customer.execute(messageId, pick.data);
    else throw new Error(`do not know how to answer: ${JSON.stringify(card)}`);
    expect(result.status).toBe(200);
  }
  throw new Error('intake did not finish within 20 steps');
}
