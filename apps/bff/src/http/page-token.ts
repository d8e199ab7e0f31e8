import { InvalidParameterError } from '../errors.ts';

/**
 * Page tokens (`opc-next-page`, `page`): opaque to clients, but each one names the list it came
 * from, so a token of another list (another kind, another sort, another work request) or a
 * forged one is refused with 400 InvalidParameter `page` instead of quietly paging something else.
 * The parts are checked one by one before they reach a query.
 */

/** The list a token belongs to, e.g. `meshes|timeCreated|DESC`; compared as is. */
export type PageListKey = string;

const MAX_TOKEN_LENGTH = 4096;
const MAX_PART_LENGTH = 512;

/** An RFC 3339 UTC instant as the stores write them (`2025-03-01T00:00:00.000Z`). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function isInstant(text: string): boolean {
  return INSTANT.test(text) && !Number.isNaN(Date.parse(text));
}

/** An id as a cursor carries it: 1–255 characters, no whitespace. */
export function isCursorId(text: string): boolean {
  return /^\S{1,255}$/.test(text);
}

export function encodePageToken(list: PageListKey, parts: readonly string[]): string {
  return Buffer.from(JSON.stringify({ l: list, p: parts })).toString('base64url');
}

export function invalidPageToken(): InvalidParameterError {
  return new InvalidParameterError('page', 'not a page token of this list');
}

/**
 * The parts of a token made by `encodePageToken` for the same `list`; `checks` holds one test per
 * part (the number of parts must match too). Anything else throws 400 InvalidParameter `page`.
 */
export function decodePageToken(
  token: string,
  list: PageListKey,
  checks: readonly ((part: string) => boolean)[],
): string[] {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw invalidPageToken();
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidPageToken();
  }
  const v = value as { l?: unknown; p?: unknown } | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    v.l !== list ||
    !Array.isArray(v.p) ||
    v.p.length !== checks.length
  ) {
    throw invalidPageToken();
  }
  const parts = v.p as unknown[];
  parts.forEach((part, i) => {
    if (typeof part !== 'string' || part.length > MAX_PART_LENGTH || !checks[i]?.(part)) {
      throw invalidPageToken();
    }
  });
  return parts as string[];
}
