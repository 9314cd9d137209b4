import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/ops/logger.ts';

function capture(level: 'debug' | 'info' | 'warn' | 'error' | 'silent', keepPersonalData = false) {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level,
    keepPersonalData,
    now: () => Date.UTC(2026, 0, 5, 9, 0, 0),
    write: (line) => lines.push(JSON.parse(line)),
  });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { log, lines } = capture('info');
    log.info('turn answered', { conversationId: 'web:1', replies: 2 });
    expect(lines).toEqual([
      {
        time: '2026-01-05T09:00:00.000Z',
        level: 'info',
        msg: 'turn answered',
        conversationId: 'web:1',
        replies: 2,
      },
    ]);
  });

  it('drops entries below the level and everything when silent', () => {
    const info = capture('info');
    info.log.debug('noise');
    info.log.warn('kept');
    expect(info.lines.map((l) => l.msg)).toEqual(['kept']);
    const silent = capture('silent');
    silent.log.error('gone');
    expect(silent.lines).toEqual([]);
  });

  it('redacts secrets by key name, in nested objects too', () => {
    const { log, lines } = capture('info');
    log.info('request', {
      headers: { authorization: 'Bearer abc.def', 'x-slack-signature': 'v0=123', accept: 'json' },
      password: 'hunter2',
      adminToken: 'tok-123456',
      config: { SLACK_BOT_TOKEN: 'xoxb-1-2-3', PORT: 3000 },
    });
    expect(lines[0]).toMatchObject({
      headers: { authorization: '[redacted]', 'x-slack-signature': '[redacted]', accept: 'json' },
      password: '[redacted]',
      adminToken: '[redacted]',
      config: { SLACK_BOT_TOKEN: '[redacted]', PORT: 3000 },
    });
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|abc\.def|tok-123456|xoxb/);
  });

  it('redacts bearer and Slack tokens inside free text', () => {
    const { log, lines } = capture('info');
    log.warn('upstream said: Authorization: Bearer s3cr3t.t0ken and used xoxb-123-456-abc');
    expect(lines[0]?.msg).toBe('upstream said: Authorization: Bearer [redacted] and used [redacted]');
  });

  it('masks e-mail addresses and phone numbers in free text', () => {
    const { log, lines } = capture('info');
    log.info('intake', { text: 'Bitte an max.muster@example.com oder +49 170 1234567 melden, Raum 2.14' });
    expect(lines[0]?.text).toBe('Bitte an [email] oder [phone] melden, Raum 2.14');
  });

  it('leaves UUIDs whole (request and conversation ids), while still masking a phone number beside them', () => {
    const { log, lines } = capture('info');
    const ids = ['12345678-1234-4234-8234-123456789012', '0f8e2b14-9d3c-4a5b-8c7d-6e5f4a3b2c1d'];
    for (const id of ids) {
      log.info(`request ${id} done`, { requestId: id, note: `${id} from +49 170 1234567` });
    }
    ids.forEach((id, i) => {
      expect(lines[i]).toMatchObject({
        msg: `request ${id} done`,
        requestId: id,
        note: `${id} from [phone]`,
      });
    });
  });

  it('leaves dates, ticket ids and counts alone', () => {
    const { log, lines } = capture('info');
    log.info('stats', {
      day: '2026-01-05',
      note: 'SUP-1042 seit 05.01.2026 offen, 1234 Aufrufe',
      count: 12345678,
    });
    expect(lines[0]).toMatchObject({
      day: '2026-01-05',
      note: 'SUP-1042 seit 05.01.2026 offen, 1234 Aufrufe',
      count: 12345678,
    });
  });

  it('keeps personal data only when asked to, and only at debug level', () => {
    const debug = capture('debug', true);
    debug.log.debug('intake', { text: 'max@example.com' });
    expect(debug.lines[0]?.text).toBe('max@example.com');
    const info = capture('info', true);
    info.log.info('intake', { text: 'max@example.com' });
    expect(info.lines[0]?.text).toBe('[email]');
  });

  it('serialises errors with their code and survives cycles', () => {
    const { log, lines } = capture('info');
    const error = Object.assign(new Error('store down for max@example.com'), { code: 'store_unavailable' });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    log.error('failed', { error, cyclic });
    expect(lines[0]?.error).toMatchObject({
      name: 'Error',
      code: 'store_unavailable',
      message: 'store down for [email]',
    });
    expect(lines[0]?.cyclic).toEqual({ name: 'loop', self: '[circular]' });
  });

  it('adds bound fields in child loggers', () => {
    const { log, lines } = capture('info');
    log.child({ component: 'web-chat' }).child({ conversationId: 'web:9' }).info('hello');
    expect(lines[0]).toMatchObject({ component: 'web-chat', conversationId: 'web:9', msg: 'hello' });
  });
});
