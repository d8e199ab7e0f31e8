import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/oci-authentication.ts';
import { inTransaction, type Db } from '../db/open-db.ts';
import { InvalidatedRetryTokenError, InvalidParameterError } from '../errors.ts';
import type { RetryTokenRepository, StoredResponse } from './retry-tokens.repository.ts';

export interface IdempotencyDeps {
  db: Db;
  retryTokens: RetryTokenRepository;
}

/** The SDK sends a lower-case UUID; anything printable up to 128 characters is taken. */
const RETRY_TOKEN = /^[\x21-\x7e]{1,128}$/;

/** JSON with object keys sorted, so the same body hashes the same however its keys are ordered. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Runs a POST/PUT under its `opc-retry-token` (spec §8.3). Without a token it just writes. With
 * one, in a single transaction: a live entry for the same operation and body is returned as it
 * was first answered (status, headers, body) and nothing is written; one for another operation or
 * body is 409 InvalidatedRetryToken; else `write` runs and a 2xx answer is kept for 24 h. Claiming
 * the token and writing share the transaction, so two requests with one token never both write.
 * Tokens belong to the signing user (unsigned calls share one space). A failed write keeps
 * nothing, so the client may retry it with the same token.
 */
export function idempotentWrite(
  deps: IdempotencyDeps,
  req: Request,
  res: Response,
  write: () => StoredResponse,
): StoredResponse {
  const token = req.get('opc-retry-token');
  if (token === undefined || token === '') return write();
  if (!RETRY_TOKEN.test(token)) {
    throw new InvalidParameterError('opc-retry-token', 'must be 1 to 128 printable characters');
  }
  const principal = principalOf(res)?.userId ?? '';
  const operation = `${req.method} ${req.originalUrl.split('?')[0] ?? ''}`;
  const requestHash = createHash('sha256')
    .update(canonicalJson(req.body ?? null))
    .digest('hex');
  return inTransaction(deps.db, () => {
    const existing = deps.retryTokens.find(principal, token);
    if (existing) {
      if (existing.operation !== operation || existing.requestHash !== requestHash) {
        throw new InvalidatedRetryTokenError(
          'this opc-retry-token was used for another request in the last 24 hours; use a new token',
        );
      }
      return existing.response;
    }
    const response = write();
    if (response.status >= 200 && response.status < 300) {
      deps.retryTokens.save(principal, token, { operation, requestHash, response });
    }
    return response;
  });
}

/** Sends a stored or fresh answer. */
export function sendStored(res: Response, response: StoredResponse): void {
  res.status(response.status).set(response.headers);
  if (response.body === undefined) {
    res.end();
    return;
  }
  res.type('application/json').send(response.body);
}
