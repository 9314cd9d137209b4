import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { WebIdentity } from '../../core/web-ports.ts';

/** One line of visible text: no control characters, so the signed message is unambiguous. */
const field = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'no control or format characters');

/** What an embedding page may pass when it opens a conversation (`identity` in the body). */
export const IdentityClaimSchema = z
  .object({
    userId: field(200),
    name: field(200).optional(),
    email: z.string().trim().max(254).email().optional(),
    organisation: field(200).optional(),
    /** Hex HMAC-SHA256 under WEB_IDENTITY_SECRET of signedMessage(claim). */
    hash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a hex HMAC-SHA256 (64 characters)'),
  })
  .strict();

export type IdentityClaim = z.infer<typeof IdentityClaimSchema>;

/**
 * What the site signs: the user id, then name, e-mail and organisation (those given, in this
 * order, trailing empty ones left off), one per line. With the user id alone it is just the user
 * id, as Intercom's and Zendesk's identity verification sign it; the other fields are signed too,
 * so a visitor cannot put another person's e-mail address on a ticket under their own id.
 */
export function signedMessage(identity: Omit<WebIdentity, never>): string {
  const parts = [identity.userId, identity.name ?? '', identity.email ?? '', identity.organisation ?? ''];
  while (parts.length > 1 && parts.at(-1) === '') parts.pop();
  return parts.join('\n');
}

export function signIdentity(secret: string, identity: WebIdentity): string {
  return createHmac('sha256', secret).update(signedMessage(identity), 'utf8').digest('hex');
}

export type IdentityResult =
  | { verified: true; identity: WebIdentity }
  | { verified: false; reason: 'no-secret' | 'wrong-hash' };

/** Checks a claim's hash in constant time; only a verified claim becomes an identity. */
export function verifyIdentity(secret: string | undefined, claim: IdentityClaim): IdentityResult {
  if (!secret) return { verified: false, reason: 'no-secret' };
  const identity: WebIdentity = {
    userId: claim.userId,
    ...(claim.name ? { name: claim.name } : {}),
    ...(claim.email ? { email: claim.email } : {}),
    ...(claim.organisation ? { organisation: claim.organisation } : {}),
  };
  const expected = Buffer.from(signIdentity(secret, identity), 'hex');
  const given = Buffer.from(claim.hash.toLowerCase(), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { verified: false, reason: 'wrong-hash' };
  }
  return { verified: true, identity };
}
