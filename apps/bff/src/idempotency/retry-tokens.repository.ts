import type { Clock } from '../clock.ts';
import { prepare, type Db } from '../db/open-db.ts';

/** How long a retry token keeps its first answer (spec §8.3). */
export const RETRY_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** An answer as it went out, to be replayed byte for byte. */
export interface StoredResponse {
  status: number;
  /** Lower-case names; only the headers that belong to the answer (etag, location, …). */
  headers: Record<string, string>;
  /** The JSON body text; undefined when the answer had none. */
  body?: string;
}

export interface RetryTokenEntry {
  operation: string;
  requestHash: string;
  response: StoredResponse;
  timeCreated: string;
  timeExpires: string;
}

export interface RetryTokenRepository {
  /** The live (unexpired) entry of a token; expired ones count as absent. */
  find(principal: string, token: string): RetryTokenEntry | undefined;
  /** Keeps an answer for 24 h; replaces an expired entry of the same token. */
  save(
    principal: string,
    token: string,
    entry: { operation: string; requestHash: string; response: StoredResponse },
  ): void;
  /** Deletes up to `limit` expired entries; returns how many. */
  purgeExpired(limit?: number): number;
}

type Row = Record<string, unknown>;

export function createRetryTokenRepository(db: Db, clock: Clock): RetryTokenRepository {
  const purgeExpired = (limit = 100): number =>
    prepare(
      db,
      `DELETE FROM retry_tokens WHERE (principal, token) IN
         (SELECT principal, token FROM retry_tokens WHERE time_expires <= ? LIMIT ?)`,
    ).run(clock.now().toISOString(), limit).changes;

  return {
    find(principal, token) {
      const row = prepare(
        db,
        'SELECT * FROM retry_tokens WHERE principal = ? AND token = ? AND time_expires > ?',
      ).get(principal, token, clock.now().toISOString()) as Row | undefined;
      if (!row) return undefined;
      return {
        operation: row.operation as string,
        requestHash: row.request_hash as string,
        response: {
          status: row.status as number,
          headers: JSON.parse(row.headers as string) as Record<string, string>,
          ...(row.body != null ? { body: row.body as string } : {}),
        },
        timeCreated: row.time_created as string,
        timeExpires: row.time_expires as string,
      };
    },
    save(principal, token, entry) {
      const now = clock.now();
      // Expired rows go on the way, so the table holds about one day of writes.
      purgeExpired();
      prepare(
        db,
        `INSERT INTO retry_tokens (principal, token, operation, request_hash, status, headers, body,
           time_created, time_expires)
         VALUES (@principal, @token, @operation, @requestHash, @status, @headers, @body,
           @timeCreated, @timeExpires)
         ON CONFLICT (principal, token) DO UPDATE SET
           operation = excluded.operation, request_hash = excluded.request_hash,
           status = excluded.status, headers = excluded.headers, body = excluded.body,
           time_created = excluded.time_created, time_expires = excluded.time_expires`,
      ).run({
        principal,
        token,
        operation: entry.operation,
        requestHash: entry.requestHash,
        status: entry.response.status,
        headers: JSON.stringify(entry.response.headers),
        body: entry.response.body ?? null,
        timeCreated: now.toISOString(),
        timeExpires: new Date(now.getTime() + RETRY_TOKEN_TTL_MS).toISOString(),
      });
    },
    purgeExpired,
  };
}
