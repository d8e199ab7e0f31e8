import type { ErrorCode, FieldErrors, Finding } from '@meshdeck/domain';

export interface ErrorDetails {
  fieldErrors?: FieldErrors;
  findings?: unknown[];
  [key: string]: unknown;
}

/**
 * Base of every error the BFF throws on purpose. Each carries an OCI error code; the HTTP status
 * comes from the domain's ERROR_STATUS in http/error-handler.ts, never from here.
 */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  /** Seconds after which the same request may succeed (sent as `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, details?: ErrorDetails, retryAfterSeconds?: number) {
    super(message);
    this.name = new.target.name;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Summarises field errors in one line for the OCI `message`. */
export function describeFieldErrors(fieldErrors: FieldErrors): string {
  const parts = Object.entries(fieldErrors).map(([path, messages]) =>
    path === '_root' ? messages.join('; ') : `${path}: ${messages.join('; ')}`,
  );
  const text = parts.join('; ');
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** The body does not have the shape the schema asks for (or breaks a rule judged alongside it). */
export class ValidationError extends AppError {
  readonly code = 'InvalidParameter';
  readonly fieldErrors: FieldErrors;
  constructor(fieldErrors: FieldErrors, options: { message?: string; findings?: Finding[] } = {}) {
    super(options.message ?? describeFieldErrors(fieldErrors), {
      fieldErrors,
      ...(options.findings && options.findings.length > 0 ? { findings: options.findings } : {}),
    });
    this.fieldErrors = fieldErrors;
  }
}

/** A required query parameter or header is missing. */
export class MissingParameterError extends AppError {
  readonly code = 'MissingParameter';
  constructor(name: string) {
    super(`${name} is required`, { fieldErrors: { [name]: ['required'] } });
  }
}

/** A query parameter or header has a bad value. */
export class InvalidParameterError extends AppError {
  readonly code = 'InvalidParameter';
  constructor(name: string, message: string) {
    super(`${name}: ${message}`, { fieldErrors: { [name]: [message] } });
  }
}

/** A resource named inside the body (a parent, a destination, a policy target) does not exist. */
export class RelatedResourceNotFoundError extends AppError {
  readonly code = 'RelatedResourceNotAuthorizedOrNotFound';
  constructor(message: string, path?: string) {
    super(message, path ? { fieldErrors: { [path]: [message] } } : undefined);
  }
}

/**
 * What a message may echo of a client's text: control characters escaped, and any run longer than
 * 100 characters cut (an id of 5 000 characters, or one with a NUL, comes back short and readable).
 */
export function echoable(message: string): string {
  return message
    .replace(
      // eslint-disable-next-line no-control-regex -- control characters are what this escapes
      /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    .replace(/\S{101,}/g, (run) => `${run.slice(0, 100)}…`);
}

/** The resource named in the path does not exist (the message echoes the path's id, shortened). */
export class NotFoundError extends AppError {
  readonly code = 'NotAuthorizedOrNotFound';
  constructor(message: string) {
    super(echoable(message));
  }
}

/** No route matches the path and method. */
export class RouteNotFoundError extends AppError {
  readonly code = 'NotFound';
}

/** A non-transient conflict: a name taken, a parent that still has children, a blocked raise. */
export class ConflictError extends AppError {
  readonly code = 'Conflict';
}

/**
 * A transient state conflict (a parent still CREATING, a resource mid-update): retrying later can
 * succeed, and the OCI SDK retries it by itself (spec §8.2). Never use it for lasting conflicts.
 */
export class IncorrectStateError extends AppError {
  readonly code = 'IncorrectState';
}

/** An `opc-retry-token` reused for another operation or another body (spec §8.3). */
export class InvalidatedRetryTokenError extends AppError {
  readonly code = 'InvalidatedRetryToken';
}

/** The caller is known but may not do this. */
export class NotAuthorizedError extends AppError {
  readonly code = 'NotAuthorized';
}

/** The request is unsigned, badly signed, signed with an unknown key, or too old (spec §9). */
export class NotAuthenticatedError extends AppError {
  readonly code = 'NotAuthenticated';
  /** Why, for the log only: the client gets `message`, never which check failed. */
  readonly reason: string;
  constructor(reason: string, message = 'the request is not signed with a registered API key') {
    super(message);
    this.reason = reason;
  }
}

/** `if-match` names another version of the resource. */
export class PreconditionFailedError extends AppError {
  readonly code = 'NoEtagMatch';
  constructor(message = 'the resource was changed since it was read (if-match does not match)') {
    super(message);
  }
}

/** A domain rule rejects the write; `findings` say which, `retryAfterSeconds` when waiting helps. */
export class RuleViolationError extends AppError {
  readonly code = 'RuleViolation';
  readonly findings: Finding[];
  constructor(findings: Finding[], retryAfterSeconds?: number) {
    const fieldErrors = Object.create(null) as FieldErrors;
    for (const f of findings) (fieldErrors[f.path || '_root'] ??= []).push(f.message);
    super(findings.map((f) => f.message).join('; '), { fieldErrors, findings }, retryAfterSeconds);
    this.findings = findings;
  }
}

/** The request's content type is not one this endpoint reads. */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'UnsupportedMediaType';
}

/** The store cannot serve right now (locked, read-only, closed); retrying later may work. */
export class ServiceUnavailableError extends AppError {
  readonly code = 'ServiceUnavailable';
  constructor(message = 'the store is unavailable; retry later', retryAfterSeconds = 1) {
    super(message, undefined, retryAfterSeconds);
  }
}

/** An import that created nothing; `details.report` says, item by item, why. */
export class ImportRejectedError extends AppError {
  readonly code = 'ImportRejected';
  constructor(message: string, report: unknown) {
    super(message, { report });
  }
}
