import { vi } from 'vitest';

export interface StubCall {
  method: string;
  path: string;
  search: string;
  body: unknown;
  contentType: string | undefined;
  /** The request headers, names in lower case (`if-match`). */
  headers: Record<string, string>;
}

export type StubReply = { status?: number; body?: unknown; headers?: Record<string, string> };
export type StubHandler = (call: StubCall) => StubReply;

/**
 * Replaces `fetch` (the network edge) with a table of `"METHOD /path"` handlers and records every
 * call. Unknown paths answer 404 with the OCI error body, like the BFF.
 */
export function stubFetch(handlers: Record<string, StubHandler>): StubCall[] {
  const calls: StubCall[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://localhost');
      const method = init?.method ?? 'GET';
      const headers = new Headers(init?.headers);
      const contentType = headers.get('Content-Type') ?? undefined;
      const raw = typeof init?.body === 'string' ? init.body : undefined;
      const body =
        raw !== undefined && contentType === 'application/json'
          ? (JSON.parse(raw) as unknown)
          : raw;
      const call = {
        method,
        path: url.pathname,
        search: url.search,
        body,
        contentType,
        headers: Object.fromEntries(headers.entries()),
      };
      calls.push(call);
      const handler = handlers[`${method} ${url.pathname}`];
      const reply: StubReply = handler
        ? handler(call)
        : { status: 404, body: { code: 'NotAuthorizedOrNotFound', message: 'not found' } };
      return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
        status: reply.status ?? 200,
        headers: { 'Content-Type': 'application/json', ...reply.headers },
      });
    }),
  );
  return calls;
}
