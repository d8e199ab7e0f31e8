import { z } from 'zod';

/** OCI error codes and the HTTP status each is sent with (STYLE "Error shape"). */
export const ERROR_STATUS = {
  InvalidParameter: 400,
  MissingParameter: 400,
  CannotParseRequest: 400,
  RelatedResourceNotAuthorizedOrNotFound: 400,
  NotAuthenticated: 401,
  NotAuthorized: 403,
  NotAuthorizedOrNotFound: 404,
  NotFound: 404,
  Conflict: 409,
  IncorrectState: 409,
  InvalidatedRetryToken: 409,
  NoEtagMatch: 412,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  RuleViolation: 422,
  /** `POST /api/import` refused the file; nothing was created (details.report says why). */
  ImportRejected: 422,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** Field path (dotted, `a.b[0].c`) → messages. */
export const FieldErrorsSchema = z.record(z.string(), z.array(z.string()));
export type FieldErrors = z.infer<typeof FieldErrorsSchema>;

/** Every non-2xx body: `{ code, message, details? }` — the OCI error body. */
export const ApiErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z
    .object({
      fieldErrors: FieldErrorsSchema.optional(),
      findings: z.array(z.unknown()).optional(),
    })
    .passthrough()
    .optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** Turns a zod issue path into the dotted form used by fieldErrors (`hosts[0].name`). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Collects zod issues into fieldErrors; issues at the root go under `_root`. */
export function issuesToFieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = formatPath(issue.path) || '_root';
    // Own keys only: a body key such as `valueOf` must not find Object.prototype's (fuzzing).
    if (Object.hasOwn(out, key)) (out[key] as string[]).push(issue.message);
    else out[key] = [issue.message];
  }
  return out;
}
