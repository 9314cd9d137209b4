import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack rejects (and so do we) requests signed more than five minutes away from our clock. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; code: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

export interface SignedRequest {
  rawBody: Buffer | string;
  /** X-Slack-Request-Timestamp (seconds). */
  timestamp: string | undefined;
  /** X-Slack-Signature, `v0=<hex>`. */
  signature: string | undefined;
}

/** The `v0=` signature Slack sends for this body and timestamp. */
export function signSlackRequest(
  signingSecret: string,
  timestamp: string | number,
  rawBody: Buffer | string,
): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Verifies Slack's request signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`, within a
 * five-minute window either way (replays of old requests fail), compared in constant time.
 */
export function verifySlackSignature(
  signingSecret: string,
  request: SignedRequest,
  nowMs: number,
): SignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, code: 'missing_headers' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) {
    return { ok: false, code: 'stale_timestamp' };
  }
  const expected = Buffer.from(signSlackRequest(signingSecret, timestamp, request.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'bad_signature' };
  }
  return { ok: true };
}
