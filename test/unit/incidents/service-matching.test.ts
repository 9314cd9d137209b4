import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { insistsOnTicket, reportsProblem } from '../../../src/core/announcement-messages.ts';
import { parseCustomersConfig } from '../../../src/handoff/customers-config.ts';
import { ServiceCatalogue } from '../../../src/handoff/service-catalogue.ts';

// biome-ignore lint/suspicious/noExplicitAny: the shipped file as raw data, changed field by field
type Raw = any;

async function shipped(): Promise<Raw> {
  return parse(await readFile('config/customers.yaml', 'utf8'));
}

function problems(raw: Raw): string[] {
  try {
    parseCustomersConfig(raw);
    return [];
  } catch (error) {
    return (error as { problems: { field: string; message: string }[] }).problems.map(
      (p) => `${p.field}: ${p.message}`,
    );
  }
}

describe('the services a message is about', () => {
  it('finds the shipped services by their words, in either language, umlauts and compounds too', async () => {
    const catalogue = new ServiceCatalogue(parseCustomersConfig(await shipped()).services);
    const cases: [string, string[]][] = [
      ['Outlook geht nicht', ['mail']],
      ['Mein E-Mail-Postfach ist voll', ['mail']],
      ['my emails do not arrive', ['mail']],
      ['Der Mailserver antwortet nicht', ['mail']],
      ['Webmail lädt nicht', ['mail']],
      ['VPN-Client startet nicht', ['vpn']],
      ['Fernzugang und Outlook gehen beide nicht', ['mail', 'vpn']],
      ['I cannot log in to the customer portal', ['web']],
      ['Das KUNDENCENTER zeigt einen Fehler', ['web']],
      ['Der Drucker druckt nur leere Seiten', []],
      // "mail" at the start or end of a compound, not inside another word.
      ['Mein Hotmail-Konto', ['mail']],
      ['Das Formular ist verschwunden', []],
      ['email', ['mail']],
      ['', []],
    ];
    for (const [text, services] of cases) expect(catalogue.servicesIn(text), text).toEqual(services);
  });

  it('matches short words only whole, phrases only in order', () => {
    const catalogue = new ServiceCatalogue({
      tel: { name: { de: 'Telefonie', en: 'telephony' }, words: { de: ['Tel'], en: ['phone line'] } },
    });
    expect(catalogue.servicesIn('Tel. geht nicht')).toEqual(['tel']);
    expect(catalogue.servicesIn('Hotel-Buchung')).toEqual([]);
    expect(catalogue.servicesIn('the phone line is dead')).toEqual(['tel']);
    expect(catalogue.servicesIn('the line of my phone')).toEqual([]);
  });

  it('lists every problem of the services section by field', async () => {
    const raw = await shipped();
    raw.services.mail.words.en.push('VPN');
    raw.services.web.words = { de: [], en: [] };
    raw.services.drucker = { name: { de: 'Drucker' }, words: { de: ['!!'] } };
    raw.tiers.standard.availability.fax = 99;
    expect(problems(raw)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^services\.web\.words: give at least one word/),
        expect.stringMatching(/^services\.drucker\.name\.en: /),
        expect.stringMatching(/^services\.drucker\.words\.de\.0: a phrase needs at least one letter/),
      ]),
    );
    const cross = await shipped();
    cross.services.mail.words.en.push('VPN');
    cross.tiers.standard.availability.fax = 99;
    expect(problems(cross)).toEqual([
      'services.vpn.words.de.0: "VPN" already names service "mail"',
      'tiers.standard.availability.fax: unknown service "fax" (declare it under services)',
    ]);
  });
});

describe('what a message says about the service', () => {
  it('tells a fault report from a question', () => {
    for (const text of [
      'Outlook geht nicht',
      'Mein Outlook geht seit heute früh nicht mehr',
      'Mein VPN verbindet seit heute Morgen nicht mehr',
      'Ich kann keine Mails senden',
      'Der VPN ist ausgefallen',
      'Webmail hängt',
      'my email is not working',
      "Outlook won't open",
      'I cannot connect to the VPN',
      'the customer portal is down',
      'mail sending fails with an error',
    ]) {
      expect(reportsProblem(text), text).toBe(true);
    }
    for (const text of [
      'Wie richte ich Outlook auf dem Handy ein?',
      'Wie groß darf mein Postfach sein?',
      'How do I set up email on my phone?',
      'Where do I find the VPN client?',
    ]) {
      expect(reportsProblem(text), text).toBe(false);
    }
  });

  it('hears a customer insist on a ticket', () => {
    for (const text of [
      'trotzdem Ticket',
      'Ich brauche trotzdem ein Ticket',
      'I still need a ticket',
      'open a ticket anyway',
    ]) {
      expect(insistsOnTicket(text), text).toBe(true);
    }
    for (const text of ['Ticket-Status?', 'trotzdem danke', 'I still cannot send mail']) {
      expect(insistsOnTicket(text), text).toBe(false);
    }
  });
});
