import type { Action } from '../core/action.ts';
import { cleanText } from '../core/clean-text.ts';
import type { IntakeState } from '../core/conversation.ts';
import { ConfigError } from '../core/errors.ts';
import type { IntakeInput, IntakeOutcome, IntakePort, IntakeStart } from '../core/intake-port.ts';
import type { Language } from '../core/language.ts';
import { messagesFor } from '../core/messages.ts';
import { isCancelWord, isNoWord, isSkipWord, isYesWord } from '../core/quick-words.ts';
import type { Reply } from '../core/reply.ts';
import { parseCorrection } from './correction.ts';
import { displayValue, findOption, validateFieldValue } from './field-value.ts';
import { type FormConfig, type FormField, findQueue, type IntakeSettings } from './forms.ts';

/**
 * Collects the details of a problem, field by field, as defined per queue in config/support.yaml:
 * validated answers with friendly re-prompts, skipping optional fields, corrections of earlier
 * answers, several values at once (submit-form), consent for billable support, cancel any time.
 */
export class IntakeFlow implements IntakePort {
  constructor(private readonly config: IntakeSettings) {}

  formFor(queue: string): FormConfig {
    const form = this.config.forms[findQueue(this.config, queue).form];
    // The config schema guarantees each queue's form exists.
    if (!form) throw new ConfigError('missing_configuration', `no intake form for queue ${queue}`);
    return form;
  }

  /** True when every filled-in value of a form names a field of this queue's form. */
  fits(queue: string, values: Record<string, string>): boolean {
    const fields = this.formFor(queue).fields;
    return Object.entries(values).every(
      ([name, value]) => cleanText(value) === '' || fields.some((f) => f.name === name),
    );
  }

  begin(start: IntakeStart, language: Language): { state: IntakeState; replies: Reply[] } {
    const queue = findQueue(this.config, start.queue).id;
    const state: IntakeState = {
      queue,
      values: {},
      skipped: [],
      entryId: start.entryId,
      billable: start.billable,
      attempts: 0,
      reason: start.reason,
    };
    const summary = this.formFor(queue).fields.find((f) => f.name === 'summary');
    if (summary && start.question) {
      const proposed = cleanText(start.question).slice(0, summary.maxLength);
      if (validateFieldValue(summary, proposed, language).ok) state.proposed = proposed;
    }
    const say = messagesFor(language);
    const intro: Reply = { type: 'notice', text: say.intakeStart, actions: [], language };
    if (state.billable) return { state, replies: [intro, this.consentQuestion(language)] };
    const next = this.next(state, language);
    return { state, replies: [intro, ...next.replies] };
  }

  step(state: IntakeState, input: IntakeInput, language: Language): IntakeOutcome {
    const say = messagesFor(language);
    const { text, action } = input;
    // The matcher's cancel intent is a guess; a word that skips, or one of the asked field's
    // choices ("it can wait"), is an answer. Only a cancel word or button always cancels.
    const guessedCancel =
      input.intent === 'cancel' &&
      text !== undefined &&
      !isSkipWord(text) &&
      !this.answersChoice(state, text);
    if (action?.type === 'cancel' || (text !== undefined && isCancelWord(text)) || guessedCancel) {
      return {
        kind: 'cancelled',
        replies: [{ type: 'notice', text: say.intakeCancelled, actions: [], language }],
      };
    }
    if (state.billable && state.consent === undefined) return this.consentStep(state, input, language);
    if (action) return this.actionStep(state, action, language);
    if (text === undefined) return this.next(state, language);

    const fields = this.formFor(state.queue).fields;
    const correction = parseCorrection(text, fields);
    if (correction) {
      if (correction.value === undefined) {
        state.asking = correction.field.name;
        state.attempts = 0;
        return this.ask(state, correction.field, language);
      }
      return this.apply(state, correction.field, correction.value, language, true);
    }
    const field = this.current(state);
    if (!field) return this.next(state, language);
    if (isSkipWord(text)) return this.skip(state, field, language);
    if (field.name === 'summary' && state.proposed) {
      if (isYesWord(text) || input.intent === 'affirm')
        return this.apply(state, field, state.proposed, language);
      if (isNoWord(text) || input.intent === 'deny') {
        state.proposed = undefined;
        return this.ask(state, field, language);
      }
    }
    return this.apply(state, field, text, language);
  }

  /** Whether the text picks one of the choices of the field being asked for. */
  private answersChoice(state: IntakeState, text: string): boolean {
    const field = this.current(state);
    return field?.type === 'choice' && findOption(field, text) !== undefined;
  }

  /** The field being asked for now. */
  current(state: IntakeState): FormField | undefined {
    const fields = this.formFor(state.queue).fields;
    const asked = state.asking ? fields.find((f) => f.name === state.asking) : undefined;
    return asked ?? this.firstMissing(state);
  }

  private consentStep(state: IntakeState, input: IntakeInput, language: Language): IntakeOutcome {
    const say = messagesFor(language);
    if (input.action?.type === 'submit-form') {
      // A form sent before consent is kept (the valid values); consent still comes first.
      this.absorb(state, input.action.values, language);
      return { kind: 'continue', replies: [this.consentQuestion(language)] };
    }
    let accept: boolean | undefined;
    if (input.action?.type === 'consent') accept = input.action.accept;
    else if (input.text !== undefined && (isYesWord(input.text) || input.intent === 'affirm')) accept = true;
    else if (input.text !== undefined && (isNoWord(input.text) || input.intent === 'deny')) accept = false;
    if (accept === undefined) return { kind: 'continue', replies: [this.consentQuestion(language)] };
    state.consent = accept;
    if (!accept) {
      return {
        kind: 'declined',
        replies: [{ type: 'notice', text: say.consentDeclined, actions: [], language }],
      };
    }
    return this.next(state, language, say.consentAccepted);
  }

  private actionStep(state: IntakeState, action: Action, language: Language): IntakeOutcome {
    const say = messagesFor(language);
    const fields = this.formFor(state.queue).fields;
    switch (action.type) {
      case 'skip': {
        const field = fields.find((f) => f.name === action.field);
        return field ? this.skip(state, field, language) : this.next(state, language);
      }
      case 'choose-value': {
        const field = fields.find((f) => f.name === action.field);
        return field ? this.apply(state, field, action.value, language) : this.next(state, language);
      }
      case 'submit-form':
        return this.submit(state, action.values, language);
      case 'talk-to-person':
        return this.next(state, language, say.alreadyHandingOver);
      default:
        return this.next(state, language);
    }
  }

  /** Several values at once: each validated on its own; only the wrong or missing ones are asked again. */
  private submit(state: IntakeState, values: Record<string, string>, language: Language): IntakeOutcome {
    const say = messagesFor(language);
    const fields = this.formFor(state.queue).fields;
    const firstError = this.absorb(state, values, language);
    state.attempts = 0;
    if (firstError) {
      state.asking = firstError.field.name;
      return this.ask(state, firstError.field, language, firstError.error);
    }
    state.asking = undefined;
    const unknown = Object.keys(values).filter((name) => !fields.some((f) => f.name === name));
    return this.next(
      state,
      language,
      unknown.length > 0 ? say.errorUnknownField(unknown.join(', ')) : undefined,
    );
  }

  /** Takes the valid values of a form into the state; returns the first field that was wrong. */
  private absorb(
    state: IntakeState,
    values: Record<string, string>,
    language: Language,
  ): { field: FormField; error: string } | undefined {
    const fields = this.formFor(state.queue).fields;
    let firstError: { field: FormField; error: string } | undefined;
    for (const [name, raw] of Object.entries(values)) {
      const field = fields.find((f) => f.name === name);
      if (!field) continue;
      if (cleanText(raw) === '') {
        if (!field.required) this.markSkipped(state, field);
        continue;
      }
      const result = validateFieldValue(field, raw, language);
      if (result.ok) {
        state.values[field.name] = result.value;
        state.skipped = state.skipped.filter((n) => n !== field.name);
      } else {
        delete state.values[field.name];
        firstError ??= { field, error: result.error };
      }
    }
    state.proposed = state.values.summary ? undefined : state.proposed;
    return firstError;
  }

  private apply(
    state: IntakeState,
    field: FormField,
    raw: string,
    language: Language,
    isCorrection = false,
  ): IntakeOutcome {
    const say = messagesFor(language);
    const result = validateFieldValue(field, raw, language);
    if (!result.ok) {
      state.asking = field.name;
      state.attempts += 1;
      if (state.attempts >= this.config.intake.maxAttempts) {
        // Give up gracefully: an optional field is skipped; a free-text one is kept as written,
        // for the agent to read. Choice fields keep their buttons, which cannot be wrong.
        if (!field.required) return this.skip(state, field, language);
        if (field.type !== 'choice') {
          state.values[field.name] = cleanText(raw).slice(0, field.maxLength);
          return this.moveOn(state, field, language);
        }
      }
      return this.ask(state, field, language, result.error);
    }
    state.values[field.name] = result.value;
    state.skipped = state.skipped.filter((n) => n !== field.name);
    if (field.name === 'summary') state.proposed = undefined;
    const lead = isCorrection
      ? say.corrected(field.label[language], displayValue(field, result.value, language))
      : undefined;
    return this.moveOn(state, field, language, lead);
  }

  private moveOn(state: IntakeState, field: FormField, language: Language, lead?: string): IntakeOutcome {
    state.attempts = 0;
    if (state.asking === field.name) state.asking = undefined;
    return this.next(state, language, lead);
  }

  private skip(state: IntakeState, field: FormField, language: Language): IntakeOutcome {
    if (field.required) {
      state.asking = field.name;
      return this.ask(state, field, language, messagesFor(language).errorRequired);
    }
    this.markSkipped(state, field);
    return this.moveOn(state, field, language);
  }

  private markSkipped(state: IntakeState, field: FormField): void {
    delete state.values[field.name];
    if (!state.skipped.includes(field.name)) state.skipped.push(field.name);
  }

  private firstMissing(state: IntakeState): FormField | undefined {
    return this.formFor(state.queue).fields.find(
      (f) => state.values[f.name] === undefined && !state.skipped.includes(f.name),
    );
  }

  private next(state: IntakeState, language: Language, lead?: string): IntakeOutcome {
    const field = this.current(state);
    if (!field) {
      state.asking = undefined;
      const replies: Reply[] = lead ? [{ type: 'notice', text: lead, actions: [], language }] : [];
      return { kind: 'complete', replies };
    }
    state.asking = field.name;
    return this.ask(state, field, language, undefined, lead);
  }

  private ask(
    state: IntakeState,
    field: FormField,
    language: Language,
    error?: string,
    lead?: string,
  ): IntakeOutcome {
    const say = messagesFor(language);
    const proposing = field.name === 'summary' && state.proposed !== undefined;
    const question = proposing ? say.summaryProposal(state.proposed ?? '') : field.prompt[language];
    const actions: Action[] = [];
    if (proposing) {
      actions.push({
        type: 'choose-value',
        field: field.name,
        value: state.proposed ?? '',
        label: say.confirmSummary,
      });
    }
    for (const option of field.options ?? []) {
      actions.push({
        type: 'choose-value',
        field: field.name,
        value: option.value,
        label: option.label[language],
      });
    }
    if (!field.required) actions.push({ type: 'skip', field: field.name, label: say.skip });
    actions.push({ type: 'cancel', label: say.cancel });
    const text = [lead, error, question, field.required ? undefined : say.askSkippable]
      .filter(Boolean)
      .join(' ');
    return {
      kind: 'continue',
      replies: [
        {
          type: 'ask',
          field: {
            name: field.name,
            label: field.label[language],
            required: field.required,
            options: field.options?.map((o) => ({ value: o.value, label: o.label[language] })),
          },
          error,
          text,
          actions,
          language,
        },
      ],
    };
  }

  private consentQuestion(language: Language): Reply {
    const say = messagesFor(language);
    return {
      type: 'notice',
      text: say.consentQuestion,
      actions: [
        { type: 'consent', accept: true, label: say.consentAccept },
        { type: 'consent', accept: false, label: say.consentDecline },
        { type: 'cancel', label: say.cancel },
      ],
      language,
    };
  }
}
