import type { ContractAnswersPort } from '../core/handoff-port.ts';
import type { Language } from '../core/language.ts';
import { PRIORITIES, type Priority } from '../core/ticket.ts';
import type { Customer } from '../core/turn.ts';
import type { ContractLedger } from './contract-ledger.ts';
import type { CustomerDirectory, ServedCustomer } from './customer-directory.ts';
import type { SlaTarget, SupportConfig } from './support-config.ts';

/** "P1", "prio 2", "Priorität 3", "priority 4" in a message: the priority it asks about. */
const PRIORITY_IN_TEXT = /\b(?:p|prio(?:rit(?:y|ät|aet))?)\s*([1-4])\b/i;

export function priorityAskedAbout(text: string | undefined): Priority | undefined {
  const digit = PRIORITY_IN_TEXT.exec(text ?? '')?.[1];
  return digit ? (`P${digit}` as Priority) : undefined;
}

/**
 * The customer's own figures beside a general FAQ answer: "how many hours are left?" gets their
 * organisation's block-hour balance, "what is our reaction time for a P1?" their contract's. A
 * customer no organisation recognises gets the general answer alone (undefined here).
 */
export class ContractAnswers implements ContractAnswersPort {
  constructor(
    private readonly directory: CustomerDirectory,
    private readonly ledger: ContractLedger,
    private readonly support: SupportConfig,
  ) {}

  /** True when this entry has the customer's own figures (a recognised customer, a mapped entry). */
  covers(entryId: string, customer: Customer): boolean {
    if (!this.directory.organisationOf(customer)) return false;
    const { answers } = this.directory.config;
    return [answers.balance, answers.reaction, answers.resolution].some((ids) => ids.includes(entryId));
  }

  async forEntry(
    entryId: string,
    customer: Customer,
    text: string | undefined,
    language: Language,
  ): Promise<string | undefined> {
    const served = this.directory.serveCustomer(customer);
    if (!served.organisation) return undefined;
    const { answers } = this.directory.config;
    if (answers.balance.includes(entryId)) return this.balanceText(served, language);
    if (answers.reaction.includes(entryId)) return this.targetsText(served, 'reaction', text, language);
    if (answers.resolution.includes(entryId)) return this.targetsText(served, 'resolution', text, language);
    return undefined;
  }

  /** The SLA target of a priority under this customer's tier (support.yaml's where the tier has none). */
  target(served: ServedCustomer, priority: Priority): SlaTarget {
    return served.tier.sla[priority] ?? this.support.sla.default[priority];
  }

  private async balanceText(served: ServedCustomer, language: Language): Promise<string> {
    const org = served.organisation;
    if (!org) return '';
    const { contract } = org;
    const n = (value: number) => formatNumber(value, language);
    if (contract.model === 'managed-services') {
      return language === 'de'
        ? `${org.name} hat einen Managed-Services-Vertrag: Anfragen werden nicht einzeln nach Stunden abgerechnet, es gibt kein Stundenkontingent.`
        : `${org.name} has a managed services contract: requests are not billed by the hour, so there is no block of hours to use up.`;
    }
    if (contract.model === 'time-and-material') {
      const rate = `${n(contract.hourlyRate ?? 0)} ${contract.currency}`;
      return language === 'de'
        ? `${org.name} wird nach Aufwand abgerechnet (${rate} pro Stunde, je angefangene Viertelstunde); es gibt kein Stundenkontingent.`
        : `${org.name} is billed for time and material (${rate} per hour, per started quarter hour); there is no block of hours.`;
    }
    const balance = await this.ledger.balance(org.id);
    if (!balance) return '';
    const left = n(balance.hoursLeft);
    const used = n(balance.hoursUsed);
    const bought = n(balance.hoursBought);
    if (language === 'de') {
      const warn =
        balance.hoursLeft <= 0
          ? ' Das Kontingent ist aufgebraucht.'
          : balance.low
            ? ' Das Kontingent wird knapp.'
            : '';
      return `Blockstunden von ${org.name}: noch ${left} von ${bought} Stunden übrig (${used} h verbraucht).${warn}`;
    }
    const warn =
      balance.hoursLeft <= 0 ? ' The block is used up.' : balance.low ? ' The block is running low.' : '';
    return `Block hours of ${org.name}: ${left} of ${bought} hours left (${used} h used).${warn}`;
  }

  private targetsText(
    served: ServedCustomer,
    kind: 'reaction' | 'resolution',
    text: string | undefined,
    language: Language,
  ): string {
    const org = served.organisation;
    if (!org) return '';
    const asked = priorityAskedAbout(text);
    const priorities = asked ? [asked] : [...PRIORITIES];
    const lines = priorities.map((priority) => {
      const target = this.target(served, priority);
      const minutes = kind === 'reaction' ? target.reactionMinutes : target.resolutionMinutes;
      return `${priority}: ${formatDuration(minutes, target.allHours, language)}`;
    });
    const tier = served.tier.name[language];
    const what =
      language === 'de'
        ? kind === 'reaction'
          ? 'Reaktionszeit'
          : 'Lösungszeit'
        : kind === 'reaction'
          ? 'reaction time'
          : 'resolution time';
    const head =
      language === 'de'
        ? `Laut Vertrag von ${org.name} (SLA ${tier}) gilt als ${what}`
        : `Under the contract of ${org.name} (SLA ${tier}) the ${what} is`;
    const emergency = served.tier.emergency?.[language];
    const body = asked ? ` ${lines[0]}.` : `:\n${lines.map((l) => `• ${l}`).join('\n')}`;
    return `${head}${body}${emergency ? `\n${emergency}` : ''}`;
  }
}

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 2 }).format(
    value,
  );
}

/** "30 minutes, around the clock", "4 business hours". */
export function formatDuration(minutes: number, allHours: boolean, language: Language): string {
  const hours = minutes / 60;
  const amount =
    minutes < 60
      ? `${formatNumber(minutes, language)} ${language === 'de' ? 'Minuten' : 'minutes'}`
      : `${formatNumber(hours, language)} ${
          language === 'de'
            ? allHours
              ? hours === 1
                ? 'Stunde'
                : 'Stunden'
              : hours === 1
                ? 'Geschäftsstunde'
                : 'Geschäftsstunden'
            : allHours
              ? hours === 1
                ? 'hour'
                : 'hours'
              : hours === 1
                ? 'business hour'
                : 'business hours'
        }`;
  if (!allHours)
    return minutes < 60 ? `${amount} ${language === 'de' ? 'Geschäftszeit' : 'of business time'}` : amount;
  return `${amount}, ${language === 'de' ? 'rund um die Uhr' : 'around the clock'}`;
}
