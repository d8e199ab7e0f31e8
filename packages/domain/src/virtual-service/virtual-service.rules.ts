import {
  belowMinimumMessage,
  checkModeChange,
  effectiveMode,
  isAtLeast,
  type MtlsMode,
} from '../mtls/mtls.ts';
import type { Finding } from '../rules/finding.ts';

/**
 * VS001: a declared mode must be at least as strict as the mesh minimum (OCI "Understanding Mesh
 * and Virtual Service mTLS Interactions"; cases A2, A4, F3). A stricter mode is never a finding.
 */
export function checkDeclaredMode(
  declared: MtlsMode | null | undefined,
  meshMinimum: MtlsMode,
): Finding[] {
  if (!declared || isAtLeast(declared, meshMinimum)) return [];
  return [
    {
      code: 'VS001',
      severity: 'error',
      message: belowMinimumMessage(declared, meshMinimum),
      path: 'mtls.mode',
    },
  ];
}

/**
 * MTLS001/MTLS002: an existing service's effective mode may move one step at a time, 30 s apart
 * (case A10). `lastChangedAt` is when its effective mode last changed, inherited changes included.
 */
export function checkVirtualServiceModeChange(input: {
  before: MtlsMode | null;
  after: MtlsMode | null;
  meshMinimum: MtlsMode;
  lastChangedAt: string | null;
  now: Date;
}): (Finding & { retryAfterSeconds?: number })[] {
  const verdict = checkModeChange({
    from: effectiveMode(input.before, input.meshMinimum),
    to: effectiveMode(input.after, input.meshMinimum),
    lastChangedAt: input.lastChangedAt,
    now: input.now,
  });
  if (verdict.ok) return [];
  return [
    verdict.code === 'NOT_ADJACENT'
      ? { code: 'MTLS001', severity: 'error', message: verdict.message, path: 'mtls.mode' }
      : {
          code: 'MTLS002',
          severity: 'error',
          message: verdict.message,
          path: 'mtls.mode',
          retryAfterSeconds: verdict.retryAfterSeconds,
        },
  ];
}
