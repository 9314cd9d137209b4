/**
 * A small, typed subset of Adaptive Cards 1.5 – what the support bot's cards use – so renderers
 * build plain JSON without an SDK. https://adaptivecards.io/explorer/
 */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_VERSION = '1.5';

export type CardElement =
  | TextBlock
  | FactSet
  | ActionSet
  | InputText
  | InputChoiceSet
  | {
      type: 'Container';
      items: CardElement[];
      style?: 'emphasis' | 'good' | 'attention' | 'warning';
      spacing?: Spacing;
    };

type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'bolder' | 'default';
  size?: 'small' | 'default' | 'medium' | 'large';
  color?: 'default' | 'accent' | 'good' | 'warning' | 'attention';
  isSubtle?: boolean;
  spacing?: Spacing;
  separator?: boolean;
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
  spacing?: Spacing;
}

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
  spacing?: Spacing;
}

export interface InputText {
  type: 'Input.Text';
  id: string;
  label: string;
  isRequired: boolean;
  errorMessage?: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  value?: string;
}

export interface InputChoiceSet {
  type: 'Input.ChoiceSet';
  id: string;
  label: string;
  isRequired: boolean;
  errorMessage?: string;
  style: 'compact' | 'expanded';
  choices: { title: string; value: string }[];
  value?: string;
}

/**
 * Action.Execute (Universal Actions): Teams sends an `adaptiveCard/action` invoke and shows the
 * card the bot answers with in place of this one.
 */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: Record<string, unknown>;
  /** `auto`: validate and send the card's inputs; `none`: send only `data` (skip, cancel, ...). */
  associatedInputs: 'auto' | 'none';
  style?: 'default' | 'positive' | 'destructive';
}

/** Opens a card below the buttons, for the one who clicked only (nothing is sent until its own button). */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: AdaptiveCard;
}

export type CardAction = ExecuteAction | ShowCardAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardAction[];
  /** Teams: use the full message width, so forms and facts do not wrap awkwardly. */
  msteams: { width: 'Full' };
}

export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    msteams: { width: 'Full' },
  };
  if (actions.length > 0) card.actions = actions;
  return card;
}

export function textBlock(text: string, style: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text, wrap: true, ...style };
}

export function actionSet(actions: CardAction[], spacing?: Spacing): ActionSet {
  return spacing ? { type: 'ActionSet', actions, spacing } : { type: 'ActionSet', actions };
}

export function factSet(facts: { title: string; value: string }[]): FactSet {
  return { type: 'FactSet', facts };
}

/** The message attachment that carries a card. */
export function cardAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
