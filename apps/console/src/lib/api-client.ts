import { ApiErrorBodySchema } from '@meshdeck/domain';
import { ApiError } from './api-error.ts';

type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType` (the import page posts YAML this way). */
  text?: string;
  contentType?: string;
  /**
   * Sent as `if-match`: the BFF then writes only if the resource still has this etag, and answers
   * 412 `NoEtagMatch` otherwise (a lost update prevented).
   */
  ifMatch?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** A 2xx answer with its headers, for callers that need one (the `etag` of a read). */
export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

let csrfToken: string | undefined;

/**
 * The session's CSRF token (from `GET /api/session`, lib/session.ts): sent as `x-csrf-token` on
 * every write, which the BFF refuses without it.
 */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const unauthenticatedListeners = new Set<() => void>();

/** Called on any 401 (the session ended): the app sends the user to the sign-in page. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The one way the console talks to the BFF. A non-2xx answer becomes an `ApiError`; no toasts, no
 * redirects here (STYLE step 5). Most callers want only the body: `request`.
 */
export async function requestWithResponse<T>(
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  const method = options.method ?? 'GET';
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'text/plain';
    body = options.text;
  }

  const response = await fetch(withQuery(path, options.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  const data = await readBody(response);

  if (!response.ok) {
    if (response.status === 401) for (const listener of unauthenticatedListeners) listener();
    const parsed = ApiErrorBodySchema.safeParse(data);
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new ApiError({
      status: response.status,
      body: parsed.success
        ? parsed.data
        : {
            code: response.status >= 500 ? 'InternalServerError' : 'UnexpectedResponse',
            message: `The server answered ${response.status}${
              response.statusText ? ` ${response.statusText}` : ''
            }`,
          },
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      requestId: response.headers.get('opc-request-id') ?? undefined,
    });
  }
  return { data: data as T, status: response.status, headers: response.headers };
}

/** `requestWithResponse`, body only. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestWithResponse<T>(path, options)).data;
}
