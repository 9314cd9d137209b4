// nlp.js ships no type declarations; this is the part of its API the evaluation's baseline uses.
declare module '@nlpjs/basic' {
  interface NlpResult {
    locale: string;
    intent: string;
    score: number;
    classifications?: { intent: string; score: number }[];
  }
  interface Nlp {
    settings: { autoSave: boolean; autoLoad: boolean; threshold: number };
    nluManager: { settings: { log?: boolean } };
    addLanguage(locale: string): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(utterance: string): Promise<NlpResult>;
  }
  interface Container {
    use(plugin: unknown): void;
    get(name: 'nlp'): Nlp;
  }
  export function containerBootstrap(): Promise<Container>;
  export const Nlp: unknown;
  export const LangEn: unknown;
}

declare module '@nlpjs/lang-de' {
  export const LangDe: unknown;
}
