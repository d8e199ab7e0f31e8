/**
 * A rule's result about one object, in the shape of Kiali's ObjectCheck. Codes never change
 * meaning; every code is listed in FINDING_CODES.
 */
export interface Finding {
  code: FindingCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Field path inside the object, e.g. `mtls.mode` or `routeRules[0].destinations[1]`. */
  path: string;
}

export const FINDING_CODES = {
  VS001: 'declared mTLS mode is less strict than the mesh minimum',
  MESH001: 'raising the mesh minimum is blocked by services that declare a less strict mode',
  MTLS001: 'an mTLS mode may only move to an adjacent mode',
  MTLS002: 'the previous mTLS change is still propagating (30 s)',
  RT001: 'a destination appears more than once in one route rule',
  REF001: 'a referenced resource does not exist in this mesh',
  CERT001: 'certificate reference is not managed by Meshdeck (kept as external)',
  CERT002: 'certificate reference is an unresolved placeholder',
  CA001: 'certificate authority is not managed by Meshdeck (kept as external)',
  CA002: 'certificate authority was a placeholder: Meshdeck manages one for this mesh',
} as const;
export type FindingCode = keyof typeof FINDING_CODES;

export function hasErrors(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
