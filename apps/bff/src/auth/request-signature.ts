import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { parse as parseLegacyUrl } from 'node:url';
import { NotAuthenticatedError } from '../errors.ts';

/** The largest distance between the request's date and our clock (spec §9.1). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** base64(SHA-256 of nothing): what the SDK sends for an empty body. */
export const EMPTY_BODY_SHA256 = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

/** Methods whose signature must cover the body (oci-common `methodsThatRequireExtraHeaders`). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const BODY_HEADERS = ['x-content-sha256', 'content-length', 'content-type'];

/** What the verifier reads of a request; Express's `Request` fits. */
export interface SignedRequest {
  method: string;
  /** The path and query exactly as received (`req.originalUrl`). */
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface KeyId {
  tenancyId: string;
  userId: string;
  fingerprint: string;
}

export interface VerifiedSignature {
  keyId: KeyId;
  /** Lower-case names of the signed headers. */
  signedHeaders: string[];
}

/** Finds the public key of a keyId; undefined when it names no live key. */
export type KeyLookup = (keyId: KeyId) => KeyObject | string | undefined;

/**
 * The parameters of `Authorization: Signature version="1",keyId="…",algorithm="…",headers="…",
 * signature="…"` (draft-cavage HTTP signatures as oci-common sends them). Values never hold `"`.
 */
export function parseAuthorization(header: string): Record<string, string> {
  const match = /^Signature\s+(.*)$/is.exec(header.trim());
  if (!match) throw new NotAuthenticatedError('authorization is not a Signature');
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  const rest = (match[1] as string).trim();
  const pattern = /\s*([A-Za-z]+)="([^"]*)"\s*(,|$)/y;
  let index = 0;
  while (index < rest.length) {
    pattern.lastIndex = index;
    const param = pattern.exec(rest);
    if (!param) throw new NotAuthenticatedError('malformed Signature parameters');
    const name = (param[1] as string).toLowerCase();
    if (name in params) throw new NotAuthenticatedError(`Signature parameter ${name} repeated`);
    params[name] = param[2] as string;
    index = pattern.lastIndex;
  }
  return params;
}

/** `tenancy/user/fingerprint` (API keys). Session tokens (`ST$…`) are not supported. */
export function parseKeyId(keyId: string): KeyId {
  const parts = keyId.split('/');
  if (parts.length !== 3 || parts.some((p) => p === '')) {
    throw new NotAuthenticatedError('keyId is not tenancy/user/fingerprint');
  }
  const [tenancyId, userId, fingerprint] = parts as [string, string, string];
  return { tenancyId, userId, fingerprint: fingerprint.toLowerCase() };
}

function headerValue(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (Array.isArray(value)) return value.join(', ');
  return value === '' ? undefined : value;
}

/**
 * The request target as oci-common signs it. It takes the path from Node's legacy `url.parse`
 * of the URL it was given, while fetch sends the WHATWG form of the same URL; the two differ in
 * the query for non-ASCII text (raw vs percent-encoded) and for `| { } ^ \`` (percent-encoded vs
 * raw), e.g. `displayName=café`. Undoing the WHATWG encoding of non-ASCII bytes and parsing
 * again yields what the SDK signed; both forms name the same target.
 */
export function legacyRequestTarget(originalUrl: string): string {
  const raw = originalUrl.replace(/(?:%[89A-Fa-f][0-9A-Fa-f])+/g, (encoded) => {
    try {
      return decodeURIComponent(encoded);
    } catch {
      return encoded;
    }
  });
  return parseLegacyUrl(`http://host${raw}`).path ?? originalUrl;
}

/** The string the client signed: one `name: value` line per listed header, joined by `\n`. */
export function signingString(
  request: SignedRequest,
  signedHeaders: readonly string[],
  target = request.originalUrl,
): string {
  return signedHeaders
    .map((name) => {
      if (name === '(request-target)') {
        return `(request-target): ${request.method.toLowerCase()} ${target}`;
      }
      const value = headerValue(request, name);
      if (value === undefined) throw new NotAuthenticatedError(`signed header ${name} is missing`);
      return `${name}: ${value}`;
    })
    .join('\n');
}

/**
 * Verifies the request's signature (spec §9.1) over its headers: the scheme and algorithm, the
 * headers that must be signed (date, target and host; for POST/PUT/PATCH also the body's hash,
 * length and type), the date within `maxSkewMs` of `now`, and RSA-SHA256 with the key the keyId
 * names. The body itself is checked against `x-content-sha256` by `verifyBodyDigest` once read.
 * Throws NotAuthenticatedError (reason for the log) on any failure.
 */
export function verifyRequestSignature(
  request: SignedRequest,
  lookupKey: KeyLookup,
  now: Date,
  maxSkewMs = MAX_CLOCK_SKEW_MS,
): VerifiedSignature {
  const authorization = headerValue(request, 'authorization');
  if (authorization === undefined) throw new NotAuthenticatedError('no authorization header');
  const params = parseAuthorization(authorization);
  if (params.version !== undefined && params.version !== '1') {
    throw new NotAuthenticatedError(`unsupported signature version ${params.version}`);
  }
  if (params.algorithm !== undefined && params.algorithm.toLowerCase() !== 'rsa-sha256') {
    throw new NotAuthenticatedError(`unsupported algorithm ${params.algorithm}`);
  }
  if (!params.keyid || !params.signature || !params.headers) {
    throw new NotAuthenticatedError('keyId, headers and signature are required');
  }
  const keyId = parseKeyId(params.keyid);
  const signedHeaders = params.headers
    .trim()
    .split(/\s+/)
    .map((h) => h.toLowerCase());
  const signed = new Set(signedHeaders);
  const dateHeader = signed.has('x-date') ? 'x-date' : signed.has('date') ? 'date' : undefined;
  const required = [
    '(request-target)',
    'host',
    ...(BODY_METHODS.has(request.method) ? BODY_HEADERS : []),
  ];
  const unsigned = required.filter((h) => !signed.has(h));
  if (dateHeader === undefined) unsigned.unshift('x-date');
  if (unsigned.length > 0) {
    throw new NotAuthenticatedError(`headers not signed: ${unsigned.join(', ')}`);
  }

  const targets = [request.originalUrl];
  const legacy = legacyRequestTarget(request.originalUrl);
  if (legacy !== request.originalUrl) targets.push(legacy);
  const texts = targets.map((target) => signingString(request, signedHeaders, target));
  const date = Date.parse(headerValue(request, dateHeader as string) ?? '');
  if (Number.isNaN(date)) throw new NotAuthenticatedError(`${dateHeader} is not a date`);
  if (Math.abs(now.getTime() - date) > maxSkewMs) {
    throw new NotAuthenticatedError(
      `${dateHeader} is ${Math.round((now.getTime() - date) / 1000)} s from the server clock`,
      `the request date is more than ${Math.round(maxSkewMs / 60000)} minutes from the server clock`,
    );
  }

  const key = lookupKey(keyId);
  if (key === undefined) throw new NotAuthenticatedError('the keyId names no registered key');
  const publicKey = typeof key === 'string' ? publicKeyOf(key) : key;
  const signature = Buffer.from(params.signature, 'base64');
  if (!texts.some((text) => verify('sha256', Buffer.from(text, 'utf8'), publicKey, signature))) {
    throw new NotAuthenticatedError('the signature does not verify');
  }
  return { keyId, signedHeaders };
}

// Parsing a PEM key costs more than verifying the signature; keep the parsed keys, by their text
// (so a revoked key, no longer returned by the lookup, is never used; at most KEY_CACHE_SIZE kept).
const KEY_CACHE_SIZE = 1000;
const parsedKeys = new Map<string, KeyObject>();

function publicKeyOf(pem: string): KeyObject {
  let key = parsedKeys.get(pem);
  if (key === undefined) {
    key = createPublicKey(pem);
    if (parsedKeys.size >= KEY_CACHE_SIZE)
      parsedKeys.delete(parsedKeys.keys().next().value as string);
    parsedKeys.set(pem, key);
  }
  return key;
}

/** base64(SHA-256(body)), as `x-content-sha256` carries it. */
export function bodyDigest(body: Buffer | undefined): string {
  if (!body || body.length === 0) return EMPTY_BODY_SHA256;
  return createHash('sha256').update(body).digest('base64');
}

/** The body read must hash to the signed `x-content-sha256` (a tampered body fails here). */
export function verifyBodyDigest(request: SignedRequest, body: Buffer | undefined): void {
  const claimed = headerValue(request, 'x-content-sha256');
  if (claimed === undefined) throw new NotAuthenticatedError('x-content-sha256 is missing');
  if (claimed !== bodyDigest(body)) {
    throw new NotAuthenticatedError('the body does not match x-content-sha256');
  }
}
