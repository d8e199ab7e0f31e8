import { LifecycleStateSchema, type LifecycleState } from '@meshdeck/domain';
import express, { type Request, type RequestHandler } from 'express';
import { parse as parseQueryString } from 'node:querystring';
import {
  InvalidParameterError,
  MissingParameterError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.ts';
import type { SortBy, SortOrder } from '../resources/resource-store.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
const MAX_QUERY_KEYS = 64;

/**
 * The query parser: flat `key=value` pairs only, at most 64 keys, no nesting (no qs), so
 * `filter[__proto__]=b&filter[length]=100000000` is just two odd keys (case G7). The result has
 * no prototype.
 */
export function parseQuery(text: string): Record<string, string | string[]> {
  return parseQueryString(text, '&', '=', { maxKeys: MAX_QUERY_KEYS }) as Record<
    string,
    string | string[]
  >;
}

/**
 * Query keys with brackets (`meshId[$ne]=x`, `limit[]=1`) are refused with 400: other servers
 * read them as objects or arrays, and ignoring them would quietly widen a filtered list.
 */
export const rejectBracketQueryKeys: RequestHandler = (req, _res, next) => {
  for (const [name, value] of Object.entries(req.query as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    if (
      isUnstorableText(name) ||
      values.some((v) => typeof v === 'string' && isUnstorableText(v))
    ) {
      throw new InvalidParameterError(
        isUnstorableText(name) ? 'query' : name,
        'must not contain a NUL character or an unpaired surrogate',
      );
    }
  }
  const key = Object.keys(req.query).find((k) => k.includes('[') || k.includes(']'));
  if (key !== undefined) {
    const name = key.slice(0, Math.max(0, key.indexOf('['))) || key;
    throw new InvalidParameterError(
      name,
      `give ${name} once as a plain value (${name}=…); bracket forms like ${key.slice(0, 40)} are not supported`,
    );
  }
  next();
};

const JSON_TYPES = ['application/json', 'application/*+json'];

const rawBodies = new WeakMap<Request, Buffer>();

/** The bytes of a JSON body as received (signature checks hash them); undefined when none. */
export function rawBodyOf(req: Request): Buffer | undefined {
  return rawBodies.get(req);
}

/** JSON bodies up to `limitBytes`; objects and arrays only. The raw bytes are kept (rawBodyOf). */
export function jsonBody(limitBytes: number): RequestHandler {
  return express.json({
    limit: limitBytes,
    type: JSON_TYPES,
    strict: true,
    verify: (req, _res, buf) => {
      rawBodies.set(req as Request, buf);
    },
  });
}

function hasBody(req: Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')
  );
}

/** A POST/PUT that carries a body in another type than JSON is refused (415). */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if ((req.method === 'POST' || req.method === 'PUT') && hasBody(req) && !req.is(JSON_TYPES)) {
    throw new UnsupportedMediaTypeError('send the body as application/json');
  }
  next();
};

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface JsonVisitor<T> {
  key?(key: string, keyPath: string, parentPath: string): T | undefined;
  text?(value: string, path: string): T | undefined;
}

/**
 * The first answer of `visit` for a key or a string value anywhere in a parsed JSON value.
 * Iterative, so deep nesting cannot overflow the stack.
 */
function findInJson<T>(root: unknown, visit: JsonVisitor<T>): T | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value === 'string') {
      const found = visit.text?.(value, path);
      if (found !== undefined) return found;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const keyPath = path ? `${path}.${key}` : key;
      const found = visit.key?.(key, keyPath, path);
      if (found !== undefined) return found;
      stack.push({ value: (value as Record<string, unknown>)[key], path: keyPath });
    }
  }
  return undefined;
}

/** The first `__proto__`, `constructor` or `prototype` key anywhere in a parsed value, with its path. */
export function findForbiddenKey(root: unknown): { key: string; path: string } | undefined {
  return findInJson(root, {
    key: (key, keyPath) => (FORBIDDEN_KEYS.has(key) ? { key, path: keyPath } : undefined),
  });
}

/** A NUL character or a UTF-16 surrogate without its pair: text neither engine can keep as is. */
const UNSTORABLE_TEXT =
  // eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
  /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isUnstorableText(text: string): boolean {
  return UNSTORABLE_TEXT.test(text);
}

/**
 * The path of the first key or string value holding a NUL character or an unpaired surrogate
 * (`"\u0000"`, `"\ud800"` parse as JSON): PostgreSQL refuses both in text and JSON, and SQLite
 * would keep text no export could write back as UTF-8, so every engine refuses them up front.
 */
export function findUnstorableText(root: unknown): string | undefined {
  return findInJson(root, {
    key: (key, _keyPath, parentPath) =>
      isUnstorableText(key) ? parentPath || '(body)' : undefined,
    text: (value, path) => (isUnstorableText(value) ? path || '(body)' : undefined),
  });
}

/**
 * Refuses `__proto__`, `constructor` and `prototype` keys anywhere in a JSON body (case G1).
 * JSON.parse keeps such keys as plain own properties, but any later merge could turn them into a
 * prototype change, so they never get past this point. Also refuses text no store can keep
 * (`findUnstorableText`).
 */
export const rejectPrototypeKeys: RequestHandler = (req, _res, next) => {
  const found = findForbiddenKey(req.body);
  if (found) {
    throw new ValidationError(
      { [found.path]: [`unknown field ${found.key}`] },
      { message: `unknown field ${found.key}` },
    );
  }
  const unstorable = findUnstorableText(req.body);
  if (unstorable !== undefined) {
    const message = 'must not contain a NUL character or an unpaired surrogate';
    throw new ValidationError({ [unstorable]: [message] }, { message: `${unstorable} ${message}` });
  }
  next();
};

type Query = Record<string, string | string[] | undefined>;

/** One query value; a parameter given twice is refused rather than guessed. */
export function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as Query)[name];
  if (Array.isArray(value)) throw new InvalidParameterError(name, 'must be given once');
  return value === '' ? undefined : value;
}

export function requiredQueryValue(query: unknown, name: string): string {
  const value = queryValue(query, name);
  if (value === undefined) throw new MissingParameterError(name);
  return value;
}

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

export function readLimit(query: unknown): number {
  const text = queryValue(query, 'limit');
  if (text === undefined) return DEFAULT_LIMIT;
  const limit = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw new InvalidParameterError('limit', `must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

export function readSortOrder(query: unknown, fallback: SortOrder): SortOrder {
  const text = queryValue(query, 'sortOrder');
  if (text === undefined) return fallback;
  if (text !== 'ASC' && text !== 'DESC') {
    throw new InvalidParameterError('sortOrder', 'must be ASC or DESC');
  }
  return text;
}

/**
 * sortBy among `id`, `timeCreated` and the kind's name parameter (`displayName` for meshes);
 * default timeCreated. sortOrder defaults as the SDK documents: DESC for timeCreated, ASC else.
 */
export function readSort(
  query: unknown,
  nameParam: 'name' | 'displayName',
): { sortBy: SortBy; sortOrder: SortOrder } {
  const text = queryValue(query, 'sortBy') ?? 'timeCreated';
  let sortBy: SortBy;
  if (text === 'id' || text === 'timeCreated') sortBy = text;
  else if (text === nameParam) sortBy = 'name';
  else throw new InvalidParameterError('sortBy', `must be id, timeCreated or ${nameParam}`);
  return { sortBy, sortOrder: readSortOrder(query, sortBy === 'timeCreated' ? 'DESC' : 'ASC') };
}

export function readLifecycleState(query: unknown): LifecycleState | undefined {
  const text = queryValue(query, 'lifecycleState');
  if (text === undefined) return undefined;
  const parsed = LifecycleStateSchema.safeParse(text);
  if (!parsed.success) {
    throw new InvalidParameterError(
      'lifecycleState',
      `must be one of ${LifecycleStateSchema.options.join(', ')}`,
    );
  }
  return parsed.data;
}

/** The `if-match` header as the write services take it. */
export function ifMatchOf(req: Request): { ifMatch?: string } {
  const ifMatch = req.get('if-match');
  return ifMatch !== undefined ? { ifMatch } : {};
}
