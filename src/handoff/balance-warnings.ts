import type { Clock } from '../core/clock.ts';
import type { ReplySink } from '../core/delivery.ts';
import type { Language } from '../core/language.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketListener } from '../core/ticket-events.ts';
import { formatNumber } from './contract-answers.ts';
import { type BlockHourBalance, ContractLedger } from './contract-ledger.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import type { Organisation } from './customers-config.ts';

/** The outbox kind of an e-mail to an organisation's contact (see channels/email/smtp-mailer.ts). */
export const CONTACT_MAIL_KIND = 'contact-mail';

/** One e-mail as the outbox keeps it until the mailer has sent it. */
export interface ContactMail {
  to: string;
  subject: string;
  text: string;
}

export type BalanceMark = 'low' | 'out';

/** A crossing is remembered this long; contracts are bought for a year or less. */
const CROSSING_MEMORY_MS = 400 * 24 * 60 * 60_000;

export interface BalanceWarningsDeps {
  stores: Pick<Stores, 'tickets' | 'dedupe' | 'outbox'>;
  customers: CustomerDirectory;
  ticketEvents: TicketListener;
  /** The outbox's reply sink: the customer who caused the crossing hears of it in their chat. */
  delivery: ReplySink;
  clock: Clock;
  /** True when SMTP_URL is set: the contact's e-mail address gets the warning too. */
  mailContacts: boolean;
}

/**
 * Warns when an organisation's block hours fall to the contract's low mark, and when they are used
 * up: once per crossing, whichever process records the time that crossed, and whatever order two
 * processes' recordings land in. The balance is read afresh (all tickets of the contract), the mark
 * decided from it, and the first process to claim the crossing (an atomic first-seen key by
 * organisation, hours bought, contract start and mark) warns; topping the hours up is a new
 * contract figure, so its crossings warn again.
 *
 * The warning goes to every ticket listener as a `balance-low` event on the ticket that crossed
 * (the helpdesk webhook's `contract.balance-low` / `contract.balance-exhausted`), to the customer
 * of that ticket, and, with SMTP configured, by e-mail to the organisation's contact, each through
 * the outbox.
 */
export class BalanceWarnings {
  private readonly ledger: ContractLedger;

  constructor(private readonly deps: BalanceWarningsDeps) {
    this.ledger = new ContractLedger(deps.stores.tickets, deps.customers);
  }

  /** The balance after a change to this ticket's time; undefined unless the contract has block hours. */
  async check(ticket: Ticket): Promise<BlockHourBalance | undefined> {
    const organisation = this.deps.customers.organisation(ticket.organisation);
    if (!organisation) return undefined;
    const balance = await this.ledger.balance(organisation.id);
    if (!balance) return undefined;
    const mark: BalanceMark | undefined = balance.hoursLeft <= 0 ? 'out' : balance.low ? 'low' : undefined;
    if (!mark) return balance;
    // Used up at once: the "low" crossing is spent too, so it never follows the "used up" one.
    if (mark === 'out') await this.claim(organisation, balance, 'low');
    if (await this.claim(organisation, balance, mark)) await this.warn(ticket, organisation, balance, mark);
    return balance;
  }

  private claim(organisation: Organisation, balance: BlockHourBalance, mark: BalanceMark): Promise<boolean> {
    const key = crossingKey(organisation, balance, mark);
    return this.deps.stores.dedupe.firstSeen(key, CROSSING_MEMORY_MS);
  }

  private async warn(
    ticket: Ticket,
    organisation: Organisation,
    balance: BlockHourBalance,
    mark: BalanceMark,
  ): Promise<void> {
    const key = crossingKey(organisation, balance, mark);
    const contactEmail = organisation.contact?.email;
    if (this.deps.mailContacts && contactEmail) {
      const mail: ContactMail = {
        to: contactEmail,
        ...balanceMail(organisation, balance, mark, ticket.language),
      };
      await this.deps.stores.outbox.add([
        {
          id: `${CONTACT_MAIL_KIND}:${key}`,
          lane: `${CONTACT_MAIL_KIND}:${organisation.id}`,
          kind: CONTACT_MAIL_KIND,
          payload: mail,
        },
      ]);
    }
    const event: TicketEvent = {
      at: this.deps.clock.now(),
      type: 'balance-low',
      hoursLeft: balance.hoursLeft,
      text: mark,
    };
    const updated = await this.deps.stores.tickets.update(ticket.id, (current) => ({
      ...current,
      events: [...current.events, event],
    }));
    if (updated) await this.deps.ticketEvents.onTicketEvent(updated, event);
    const text = balanceNotice(organisation, balance, mark, ticket.language);
    await this.deps.delivery.deliver(
      ticket.conversation,
      [{ type: 'notice', text, actions: [], language: ticket.language }],
      key,
    );
  }
}

function crossingKey(organisation: Organisation, balance: BlockHourBalance, mark: BalanceMark): string {
  const start = organisation.contract.startsOn ?? '-';
  return `balance-${mark}:${organisation.id}:${balance.hoursBought}:${start}`;
}

function balanceNotice(
  organisation: Organisation,
  balance: BlockHourBalance,
  mark: BalanceMark,
  language: Language,
): string {
  const left = formatNumber(Math.max(0, balance.hoursLeft), language);
  if (language === 'de') {
    return mark === 'out'
      ? `Hinweis für ${organisation.name}: Ihr Blockstunden-Kontingent ist aufgebraucht. Weitere Arbeit wird nach Aufwand abgerechnet, bis Sie nachkaufen.`
      : `Hinweis für ${organisation.name}: Von Ihren Blockstunden sind nur noch ${left} h übrig.`;
  }
  return mark === 'out'
    ? `Note for ${organisation.name}: your block of support hours is used up. Further work is billed for time and material until you top it up.`
    : `Note for ${organisation.name}: only ${left} h of your block hours are left.`;
}

/** The contact's e-mail: both languages, German first (the contract's home), figures in each. */
function balanceMail(
  organisation: Organisation,
  balance: BlockHourBalance,
  mark: BalanceMark,
  language: Language,
): Pick<ContactMail, 'subject' | 'text'> {
  const name = organisation.contact?.name;
  const figures = (lang: Language) =>
    lang === 'de'
      ? `Gekauft: ${formatNumber(balance.hoursBought, 'de')} h, verbraucht: ${formatNumber(balance.hoursUsed, 'de')} h, übrig: ${formatNumber(Math.max(0, balance.hoursLeft), 'de')} h.`
      : `Bought: ${formatNumber(balance.hoursBought, 'en')} h, used: ${formatNumber(balance.hoursUsed, 'en')} h, left: ${formatNumber(Math.max(0, balance.hoursLeft), 'en')} h.`;
  const de = `${name ? `Guten Tag ${name},` : 'Guten Tag,'}\n\n${balanceNotice(organisation, balance, mark, 'de')}\n${figures('de')}`;
  const en = `${name ? `Hello ${name},` : 'Hello,'}\n\n${balanceNotice(organisation, balance, mark, 'en')}\n${figures('en')}`;
  const subject =
    language === 'de'
      ? mark === 'out'
        ? `${organisation.name}: Blockstunden aufgebraucht`
        : `${organisation.name}: Blockstunden werden knapp`
      : mark === 'out'
        ? `${organisation.name}: block hours used up`
        : `${organisation.name}: block hours running low`;
  return { subject, text: language === 'de' ? `${de}\n\n---\n\n${en}` : `${en}\n\n---\n\n${de}` };
}
