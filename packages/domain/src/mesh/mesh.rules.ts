import {
  checkModeChange,
  inheritingServiceWait,
  isAtLeast,
  raiseBlockedMessage,
  type MeshServiceMode,
  type MtlsMode,
} from '../mtls/mtls.ts';
import type { Finding } from '../rules/finding.ts';

/**
 * Rules for changing a mesh minimum (cases A6, A10). Only services that *declare* a less strict
 * mode block a raise (MESH001); inheriting services follow the mesh. The change itself must be
 * adjacent and 30 s after the previous one (MTLS001/MTLS002) — the mesh's own previous change and
 * that of every inheriting service, whose effective mode the change moves too (MTLS002, naming
 * the service).
 */
export function checkMeshMinimumChange(input: {
  before: MtlsMode;
  after: MtlsMode;
  lastChangedAt: string | null;
  declaredServices: MeshServiceMode[];
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
  if (blockers.length === 0) {
    const inheritedWait = inheritingServiceWait(input.declaredServices, input.now);
    if (inheritedWait) {
      return [
        {
          code: 'MTLS002',
          severity: 'error',
          message: inheritedWait.message,
          path: 'mtls.minimum',
          retryAfterSeconds: inheritedWait.seconds,
        },
      ];
    }
    return [];
  }
  return [
    {
      code: 'MESH001',
      severity: 'error',
      message: raiseBlockedMessage(input.after, blockers),
      path: 'mtls.minimum',
    },
  ];
}
