import type { AuditLog } from '../core/ports.ts';
import type { KnowledgeChange } from './curation-outcome.ts';

/** One line in the audit log for a knowledge change: who, what, on which entry, and why. */
export async function auditKnowledgeChange(
  audit: AuditLog,
  at: number,
  change: KnowledgeChange,
  action: string,
  target: string,
  version?: number,
  about?: string,
  values?: { before?: unknown; after?: unknown },
): Promise<void> {
  const detail = [version === undefined ? undefined : `version ${version}`, about, change.reason]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join('; ');
  await audit.append({
    at,
    actor: change.actor,
    action,
    target,
    ...(detail ? { detail } : {}),
    ...(values?.before === undefined ? {} : { before: values.before }),
    ...(values?.after === undefined ? {} : { after: values.after }),
  });
}
