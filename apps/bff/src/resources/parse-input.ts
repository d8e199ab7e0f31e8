import { issuesToFieldErrors, type FieldErrors } from '@meshdeck/domain';
import type { Parser, SchemaIssue } from './resource-kind.ts';

export type ParseOutcome<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

/**
 * Parses a body with a domain schema. An unknown key becomes its own field error
 * (`__proto__: unknown field __proto__`) instead of one message at the object's root.
 */
export function parseInput<T>(parser: Parser<T>, body: unknown): ParseOutcome<T> {
  const result = parser.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  const issues: SchemaIssue[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) {
        issues.push({ ...issue, path: [...issue.path, key], message: `unknown field ${key}` });
      }
    } else {
      issues.push(issue);
    }
  }
  return { ok: false, fieldErrors: issuesToFieldErrors(issues) };
}

/** Adds `extra` to `target`, keeping every message once. */
export function mergeFieldErrors(target: FieldErrors, extra: FieldErrors | undefined): FieldErrors {
  for (const [path, messages] of Object.entries(extra ?? {})) {
    // Own keys only: a field named `valueOf` or `toString` is not Object.prototype's.
    const list = Object.hasOwn(target, path) ? (target[path] as string[]) : (target[path] = []);
    for (const m of messages) if (!list.includes(m)) list.push(m);
  }
  return target;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
