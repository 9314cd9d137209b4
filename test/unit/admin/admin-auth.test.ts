import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AdminAuth } from '../../../src/admin/admin-auth.ts';

/** A request as node:http hands it over: headers and the client's socket address. */
function requestWith(authorization?: string, address = '10.0.0.1'): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: address });
  return { headers: authorization ? { authorization } : {}, socket } as unknown as IncomingMessage;
}

describe('AdminAuth', () => {
  const auth = () => new AdminAuth({ token: 'correct-horse-battery' });

  it('accepts the right bearer token, case-insensitive scheme', () => {
    expect(auth().check(requestWith('Bearer correct-horse-battery'))).toEqual({ ok: true });
    expect(auth().check(requestWith('bearer correct-horse-battery'))).toEqual({ ok: true });
  });

  it('rejects a missing, wrong, prefixed or extended token', () => {
    const a = auth();
    for (const header of [
      undefined,
      'Bearer wrong',
      'Bearer correct-horse-batter',
      'Bearer correct-horse-battery2',
      'Basic correct-horse-battery',
      'correct-horse-battery',
    ]) {
      expect(a.check(requestWith(header))).toMatchObject({ ok: false, status: 401, code: 'unauthorized' });
    }
  });

  it('is switched off without a token and says how to switch it on', () => {
    const off = new AdminAuth({});
    expect(off.enabled).toBe(false);
    const result = off.check(requestWith('Bearer anything'));
    expect(result).toMatchObject({ ok: false, status: 401, code: 'admin_disabled' });
    expect(result.ok === false && result.message).toContain('ADMIN_TOKEN');
  });

  it('slows down wrong tokens from an address that keeps guessing, never the right token', () => {
    let now = 0;
    const a = new AdminAuth({ token: 'correct-horse-battery', maxFailuresPerMinute: 3, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(a.check(requestWith('Bearer guess', '10.0.0.9'))).toMatchObject({ status: 401 });
    }
    expect(a.check(requestWith('Bearer guess-again', '10.0.0.9'))).toMatchObject({ status: 429 });
    // Behind a load balancer the agents share the guesser's address: they still get in.
    expect(a.check(requestWith('Bearer correct-horse-battery', '10.0.0.9'))).toEqual({ ok: true });
    expect(a.check(requestWith('Bearer guess', '10.0.0.2'))).toMatchObject({ status: 401 });
    now = 61_000;
    expect(a.check(requestWith('Bearer guess', '10.0.0.9'))).toMatchObject({ status: 401 });
  });
});
