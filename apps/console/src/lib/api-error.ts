import type { ApiErrorBody, FieldErrors } from '@meshdeck/domain';

/**
 * A non-2xx answer from the BFF, parsed with the domain's error body schema. `fieldErrors` uses
 * the dotted paths of the contract (`mtls.mode`, `hosts[0]`).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldErrors;
  readonly details: ApiErrorBody['details'];
  /** Seconds from the `Retry-After` header (a too-soon mTLS change), when sent. */
  readonly retryAfterSeconds: number | undefined;
  readonly requestId: string | undefined;

  constructor(input: {
    status: number;
    body: ApiErrorBody;
    retryAfterSeconds?: number | undefined;
    requestId?: string | undefined;
  }) {
    super(input.body.message);
    this.status = input.status;
    this.code = input.body.code;
    this.details = input.body.details;
    this.fieldErrors = input.body.details?.fieldErrors ?? {};
    this.retryAfterSeconds = input.retryAfterSeconds;
    this.requestId = input.requestId;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A sentence for an error state or alert, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

/**
 * The write named an etag the resource no longer has (412 `NoEtagMatch`): someone else changed or
 * deleted it since it was read.
 */
export function isStaleVersionError(error: unknown): error is ApiError {
  return isApiError(error) && (error.code === 'NoEtagMatch' || error.status === 412);
}
