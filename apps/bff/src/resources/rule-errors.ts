import { hasErrors, type FieldErrors, type Finding, type FindingCode } from '@meshdeck/domain';
import { ConflictError, RuleViolationError } from '../errors.ts';

type RuleFinding = Finding & { retryAfterSeconds?: number };

/** Field errors keyed by each finding's path. */
export function findingsToFieldErrors(findings: readonly Finding[]): FieldErrors {
  const out: FieldErrors = {};
  for (const f of findings) (out[f.path || '_root'] ??= []).push(f.message);
  return out;
}

/**
 * Throws when a domain rule returned errors: 409 Conflict for the codes named (a state of other
 * resources blocks the write, e.g. MESH001), else 422 RuleViolation with the longest Retry-After
 * any finding asked for (MTLS002).
 */
export function throwOnRuleErrors(
  findings: readonly RuleFinding[],
  options: { conflictCodes?: readonly FindingCode[] } = {},
): void {
  if (!hasErrors([...findings])) return;
  const errors = findings.filter((f) => f.severity === 'error');
  const clean: Finding[] = errors.map(({ code, severity, message, path }) => ({
    code,
    severity,
    message,
    path,
  }));
  if (errors.some((f) => options.conflictCodes?.includes(f.code))) {
    throw new ConflictError(clean.map((f) => f.message).join('; '), {
      fieldErrors: findingsToFieldErrors(clean),
      findings: clean,
    });
  }
  const waits = errors.map((f) => f.retryAfterSeconds ?? 0);
  const retryAfter = Math.max(0, ...waits);
  throw new RuleViolationError(clean, retryAfter > 0 ? retryAfter : undefined);
}
