import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '../../../../src/channels/slack/slack-signature.ts';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const now = Date.UTC(2026, 0, 5, 9, 0, 0);
const ts = String(Math.floor(now / 1000));
const body = 'token=x&team_id=T1&command=%2Fsupport&text=hi';

describe('verifySlackSignature', () => {
  it('accepts what Slack signed', () => {
    const signature = signSlackRequest(secret, ts, body);
    expect(verifySlackSignature(secret, { rawBody: body, timestamp: ts, signature }, now)).toEqual({
      ok: true,
    });
  });

  it('matches the v0 scheme (HMAC-SHA256 over v0:ts:body, hex)', () => {
    expect(signSlackRequest(secret, ts, body)).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(signSlackRequest(secret, ts, body)).not.toBe(signSlackRequest(secret, ts, `${body}x`));
  });

  it('rejects a changed body, a wrong secret and missing headers', () => {
    const signature = signSlackRequest(secret, ts, body);
    expect(verifySlackSignature(secret, { rawBody: `${body}&x=1`, timestamp: ts, signature }, now)).toEqual({
      ok: false,
      code: 'bad_signature',
    });
    expect(verifySlackSignature('another-secret', { rawBody: body, timestamp: ts, signature }, now)).toEqual({
      ok: false,
      code: 'bad_signature',
    });
    expect(verifySlackSignature(secret, { rawBody: body, timestamp: ts, signature: 'v0=abc' }, now)).toEqual({
      ok: false,
      code: 'bad_signature',
    });
    expect(verifySlackSignature(secret, { rawBody: body, timestamp: undefined, signature }, now)).toEqual({
      ok: false,
      code: 'missing_headers',
    });
  });

  it('rejects requests older or newer than five minutes (replays)', () => {
    const old = String(Number(ts) - 301);
    const future = String(Number(ts) + 301);
    const edge = String(Number(ts) - 300);
    for (const stamp of [old, future]) {
      const signature = signSlackRequest(secret, stamp, body);
      expect(verifySlackSignature(secret, { rawBody: body, timestamp: stamp, signature }, now)).toEqual({
        ok: false,
        code: 'stale_timestamp',
      });
    }
    const signature = signSlackRequest(secret, edge, body);
    expect(verifySlackSignature(secret, { rawBody: body, timestamp: edge, signature }, now)).toEqual({
      ok: true,
    });
  });
});
