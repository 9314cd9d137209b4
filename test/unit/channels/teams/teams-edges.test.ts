import { describe, expect, it } from 'vitest';
import { decodeCardData } from '../../../../src/channels/teams/cards/card-action-codec.ts';
import {
  InboundActivitySchema,
  readAddress,
  toConversationRef,
  toCustomer,
  toLanguage,
} from '../../../../src/channels/teams/teams-activity.ts';
import { isLoopbackUrl, resolveTeamsAuth } from '../../../../src/channels/teams/teams-auth.ts';
import { SentCards } from '../../../../src/channels/teams/teams-sent-cards.ts';
import type { Reply } from '../../../../src/core/reply.ts';

const activity = InboundActivitySchema.parse({
  type: 'message',
  id: 'm1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  from: { id: '29:abc', name: 'Erika', aadObjectId: 'aad-1' },
  recipient: { id: '28:bot', name: 'IT Support' },
  conversation: { id: 'a:1xyz', conversationType: 'personal', tenantId: 't1' },
  locale: 'de-DE',
  text: 'hallo',
  entities: [{ type: 'clientInfo' }],
});

describe('Teams card data', () => {
  it('decodes an engine action, and refuses anything that is not one exactly', () => {
    expect(decodeCardData({ sbAction: { type: 'talk-to-person', label: 'Person' } })).toEqual({
      kind: 'action',
      action: { type: 'talk-to-person', label: 'Person' },
      chosen: 'Person',
    });
    expect(decodeCardData({ sbAction: { type: 'talk-to-person', label: 'x', admin: true } })).toBeUndefined();
    expect(
      decodeCardData({ sbAction: { type: 'rate', ticketId: 'SUP-1', rating: 9, label: 'x' } }),
    ).toBeUndefined();
    expect(decodeCardData({ something: 'else' })).toBeUndefined();
    expect(decodeCardData('sbAction')).toBeUndefined();
    expect(decodeCardData(null)).toBeUndefined();
  });

  it("collects a form's inputs into submit-form; one value is what the card then shows", () => {
    const one = decodeCardData({
      sbForm: { label: 'Kontakt' },
      sb_field_contact: ' kim@example.com ',
      other: 'x',
    });
    expect(one).toEqual({
      kind: 'action',
      action: { type: 'submit-form', values: { contact: ' kim@example.com ' }, label: 'Kontakt' },
      chosen: 'kim@example.com',
    });
    const many = decodeCardData({
      sbForm: { label: 'Absenden' },
      sb_field_a: 'x',
      sb_field_b: 'y',
      sb_field_c: 3,
    });
    expect(many).toMatchObject({ action: { values: { a: 'x', b: 'y' } }, chosen: 'Absenden' });
    expect(decodeCardData({ sbOpenForm: true })).toEqual({ kind: 'open-form' });
  });
});

describe('Teams activities', () => {
  it('keeps unknown fields for botbuilder and needs an id on messages and invokes', () => {
    expect((activity as Record<string, unknown>).entities).toEqual([{ type: 'clientInfo' }]);
    const { id: _id, ...withoutId } = activity;
    expect(InboundActivitySchema.safeParse(withoutId).success).toBe(false);
    expect(InboundActivitySchema.safeParse({ ...withoutId, type: 'conversationUpdate' }).success).toBe(true);
  });

  it('stores a conversation reference that reads back, and only for Teams', () => {
    const ref = toConversationRef(activity);
    expect(ref.conversationId).toBe('teams:a:1xyz');
    expect(JSON.parse(JSON.stringify(ref))).toEqual(ref);
    expect(readAddress(ref)).toMatchObject({
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      conversation: { id: 'a:1xyz' },
      bot: { id: '28:bot' },
      user: { id: '29:abc' },
    });
    expect(readAddress({ ...ref, channel: 'slack' })).toBeUndefined();
    expect(readAddress({ ...ref, address: { serviceUrl: 'nope' } })).toBeUndefined();
  });

  it('names the customer by Entra object id when there is one, and maps locales', () => {
    expect(toCustomer(activity)).toEqual({
      id: 'teams:aad-1',
      name: 'Erika',
      identity: { teamsTenant: 't1' },
    });
    // The tenant of the activity tells the customer's organisation (config/customers.yaml).
    const tenant = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    expect(toCustomer({ ...activity, conversation: { ...activity.conversation, tenantId: tenant } })).toEqual(
      {
        id: 'teams:aad-1',
        name: 'Erika',
        identity: { teamsTenant: tenant },
      },
    );
    const noTenant = { ...activity, conversation: { id: 'a:1xyz' } };
    expect(toCustomer({ ...noTenant, from: { id: '29:abc' } })).toEqual({
      id: 'teams:29:abc',
      name: undefined,
    });
    expect([toLanguage('de-AT'), toLanguage('en-GB'), toLanguage('fr-FR'), toLanguage(undefined)]).toEqual([
      'de',
      'en',
      undefined,
      undefined,
    ]);
  });
});

describe('Teams authentication settings', () => {
  it('is authenticated with all three credentials, local with the flag alone, else off', () => {
    expect(
      resolveTeamsAuth({
        MICROSOFT_APP_ID: 'id',
        MICROSOFT_APP_PASSWORD: 'pw',
        MICROSOFT_APP_TENANT_ID: 'tenant',
      }),
    ).toEqual({ kind: 'authenticated', appId: 'id', appPassword: 'pw', tenantId: 'tenant' });
    expect(resolveTeamsAuth({ TEAMS_ALLOW_UNAUTHENTICATED: true })).toEqual({ kind: 'local' });
    expect(resolveTeamsAuth({})).toEqual({ kind: 'off' });
    expect(() =>
      resolveTeamsAuth({ MICROSOFT_APP_PASSWORD: 'pw', TEAMS_ALLOW_UNAUTHENTICATED: true }),
    ).toThrow(/MICROSOFT_APP_ID/);
  });

  it('accepts only loopback serviceUrls as local', () => {
    for (const url of [
      'http://localhost:56150/',
      'http://127.0.0.1:3978',
      'https://127.1.2.3/x',
      'http://[::1]:8080/',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(true);
    }
    for (const url of [
      'https://smba.trafficmanager.net/emea/',
      'http://localhost.evil.example/',
      'http://127.0.0.1.nip.io/',
      'http://user:pw@localhost/',
      'file:///etc/passwd',
      'http://10.0.0.1/',
      'not a url',
    ]) {
      expect(isLoopbackUrl(url), url).toBe(false);
    }
  });
});

describe('Sent cards', () => {
  const reply: Reply = { type: 'notice', text: 'x', actions: [], language: 'de' };

  it('finds a card only in its own conversation and forgets the oldest beyond capacity', () => {
    const cards = new SentCards(2);
    cards.remember('m1', { conversationId: 'teams:a', reply });
    cards.remember('m2', { conversationId: 'teams:a', reply });
    expect(cards.find('m1', 'teams:b')).toBeUndefined();
    expect(cards.find('m1', 'teams:a')?.reply).toBe(reply);
    cards.remember('m3', { conversationId: 'teams:a', reply });
    expect(cards.find('m1', 'teams:a')).toBeUndefined();
    expect(cards.find('m3', 'teams:a')).toBeDefined();
  });

  it('keeps cards with the same message id in different conversations apart', () => {
    const cards = new SentCards();
    const other: Reply = { ...reply, text: 'y' };
    cards.remember('1700000000000', { conversationId: 'teams:a', reply });
    cards.remember('1700000000000', { conversationId: 'teams:b', reply: other });
    expect(cards.find('1700000000000', 'teams:a')?.reply).toBe(reply);
    expect(cards.find('1700000000000', 'teams:b')?.reply).toBe(other);
  });
});
