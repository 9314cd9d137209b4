/** What the pre-flight check says about one part of a deployment. */
export interface Finding {
  /** The part checked: `configuration`, `knowledge`, `store`, `slack`, `teams`, `public URL`. */
  part: string;
  /** ok: fine. problem: must be fixed. warning: works, but not as production should. skipped: not used. */
  status: 'ok' | 'problem' | 'warning' | 'skipped';
  detail: string;
}

export const finding = (part: string, status: Finding['status'], detail: string): Finding => ({
  part,
  status,
  detail,
});

/** Network checks give up after this long and say so, instead of hanging (offline, blackholed). */
export const DEFAULT_NETWORK_TIMEOUT_MS = 5_000;

/** Why a request did not get an answer, in words an operator acts on. */
export function unreachableReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code ? `${code} (${message})` : message;
}
