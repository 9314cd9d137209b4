import { createHmac } from 'node:crypto';
// The verifier alone: the whole of Bolt loads only when Slack is configured.
import { verifySlackRequest } from '@slack/bolt/dist/receivers/verify-request.js';

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

/** The `v0=` signature Slack sends for this body and timestamp (the stand-ins and load test sign with it). */
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
 * Verifies Slack's request signature with Bolt's own verifier (HMAC-SHA256 over
 * `v0:{timestamp}:{raw body}`, compared in constant time, stale requests refused). Bolt only
 * refuses timestamps too far in the past; Slack's rule is five minutes either way, so a request
 * stamped in the future is refused here first. Missing headers are told apart for the log.
 */
export function verifySlackSignature(
  signingSecret: string,
  request: SignedRequest,
  nowMs: number,
): SignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, code: 'missing_headers' };
  if (Number(timestamp) - Math.floor(nowMs / 1000) > SIGNATURE_WINDOW_SECONDS) {
    return { ok: false, code: 'stale_timestamp' };
  }
  try {
    verifySlackRequest({
      signingSecret,
      body: typeof request.rawBody === 'string' ? request.rawBody : request.rawBody.toString('utf8'),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      nowMilliseconds: nowMs,
    });
    return { ok: true };
  } catch (error) {
    const stale = error instanceof Error && error.message.includes('stale');
    return { ok: false, code: stale ? 'stale_timestamp' : 'bad_signature' };
  }
}
