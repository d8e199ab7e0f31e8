import { checkModeChange, isAtLeast, raiseBlockedMessage, type MtlsMode } from '../mtls/mtls.ts';
import type { Finding } from '../rules/finding.ts';

/**
 * Rules for changing a mesh minimum (cases A6, A10). Only services that *declare* a less strict
 * mode block a raise (MESH001); inheriting services follow the mesh. The change itself must be
 * adjacent and 30 s after the previous one (MTLS001/MTLS002).
 */
export function checkMeshMinimumChange(input: {
  before: MtlsMode;
  after: MtlsMode;
  lastChangedAt: string | null;
  declaredServices: { name: string; declared: MtlsMode | null }[];
  now: Date;
}): (Finding & { retryAfterSeconds?: number })[] {
  if (input.before === input.after) return [];
  const verdict = checkModeChange({
    from: input.before,
    to: input.after,
    lastChangedAt: input.lastChangedAt,
    now: input.now,
  });
  if (!verdict.ok) {
    return [
      verdict.code === 'NOT_ADJACENT'
        ? { code: 'MTLS001', severity: 'error', message: verdict.message, path: 'mtls.minimum' }
        : {
            code: 'MTLS002',
            severity: 'error',
            message: verdict.message,
            path: 'mtls.minimum',
            retryAfterSeconds: verdict.retryAfterSeconds,
          },
    ];
  }
  const blockers = input.declaredServices
    .filter((s) => s.declared !== null && !isAtLeast(s.declared, input.after))
    .map((s) => s.name)
    .sort();
  if (blockers.length === 0) return [];
  return [
    {
      code: 'MESH001',
      severity: 'error',
      message: raiseBlockedMessage(input.after, blockers),
      path: 'mtls.minimum',
    },
  ];
}
