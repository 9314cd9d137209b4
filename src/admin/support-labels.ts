import type { Language } from '../core/language.ts';
import type { SupportConfig } from '../handoff/support-config.ts';

/** A text in both console languages. */
export type Localized = Record<Language, string>;

export interface QueueLabel {
  id: string;
  name: Localized;
}

/** One intake detail of a ticket, with the words people read for its name and (chosen) value. */
export interface DetailLabel {
  name: string;
  label: Localized;
  value: string;
  /** Set for a choice field: the chosen option's label. */
  valueLabel?: Localized | undefined;
}

interface FieldLabels {
  label: Localized;
  options: Map<string, Localized>;
  /** Position in its form, so details read in the order the customer was asked. */
  order: number;
}

/**
 * The names config/support.yaml gives queues, intake fields and their choices, in German and
 * English, so the console shows "Arbeitsplatz und Geräte" and "Nur ich" instead of `workplace`
 * and `one`. Fields of every form are merged by name (the first form that defines one wins).
 */
export class SupportLabels {
  private readonly queueNames = new Map<string, Localized>();
  private readonly fields = new Map<string, FieldLabels>();

  constructor(support: SupportConfig | undefined) {
    if (!support) return;
    for (const queue of support.queues) this.queueNames.set(queue.id, queue.name);
    for (const form of Object.values(support.forms)) {
      form.fields.forEach((field, index) => {
        if (this.fields.has(field.name)) return;
        this.fields.set(field.name, {
          label: field.label,
          options: new Map((field.options ?? []).map((o) => [o.value, o.label])),
          order: index,
        });
      });
    }
  }

  /** Every queue an agent can escalate to, in the configuration's order. */
  queues(): QueueLabel[] {
    return [...this.queueNames].map(([id, name]) => ({ id, name }));
  }

  /** The queue's name; an id the configuration no longer has reads as itself. */
  queueName(id: string): Localized {
    return this.queueNames.get(id) ?? { de: id, en: id };
  }

  /** A ticket's intake values with their labels, in the order the form asks them. */
  details(values: Record<string, string>): DetailLabel[] {
    const order = (name: string) => this.fields.get(name)?.order ?? Number.MAX_SAFE_INTEGER;
    return Object.entries(values)
      .sort(([a], [b]) => order(a) - order(b))
      .map(([name, value]) => {
        const field = this.fields.get(name);
        return {
          name,
          label: field?.label ?? { de: name, en: name },
          value,
          valueLabel: field?.options.get(value),
        };
      });
  }
}
