/** One issued web conversation: its public id, its bearer token, its id inside the bot. */
export interface IssuedChat {
  id: string;
  token: string;
  /** `web:<id>`, as stores and tickets know it. */
  conversationId: string;
}

/** Asks the bot for a new web conversation (`POST /api/conversations`) as the chat page does. */
export async function openWebChat(baseUrl: string, body: unknown = {}): Promise<IssuedChat> {
  const response = await fetch(`${baseUrl}/api/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) {
    throw new Error(`POST /api/conversations answered ${response.status}: ${await response.text()}`);
  }
  const { id, token } = (await response.json()) as { id: string; token: string };
  return { id, token, conversationId: `web:${id}` };
}

/**
 * Web conversations a test refers to by its own labels ("ausfall-1"): each label is issued a real
 * conversation on first use, and every request for it carries that conversation's token.
 */
export class WebChats {
  private readonly chats = new Map<string, Promise<IssuedChat>>();

  constructor(private readonly baseUrl: string | (() => string)) {}

  private url(): string {
    return typeof this.baseUrl === 'string' ? this.baseUrl : this.baseUrl();
  }

  open(label: string): Promise<IssuedChat> {
    let chat = this.chats.get(label);
    if (!chat) {
      chat = openWebChat(this.url());
      this.chats.set(label, chat);
    }
    return chat;
  }

  /** `POST .../messages` with the label's token. */
  async post(label: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const chat = await this.open(label);
    return fetch(`${this.url()}/api/conversations/${chat.id}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${chat.token}`, ...headers },
      body: JSON.stringify(body),
    });
  }

  /** `GET .../events?<query>` with the label's token. */
  async events(label: string, query = 'after=0'): Promise<Response> {
    const chat = await this.open(label);
    return fetch(`${this.url()}/api/conversations/${chat.id}/events?${query}`, {
      headers: { Authorization: `Bearer ${chat.token}` },
    });
  }

  /** The label's id inside the bot (`web:<id>`). */
  async conversationId(label: string): Promise<string> {
    return (await this.open(label)).conversationId;
  }
}
