import { describe, expect, it } from 'vitest';
import { stubFetch } from '../test/fetch-stub.ts';
import { isStaleVersionError } from './api-error.ts';
import { request, requestWithResponse } from './api-client.ts';

describe('api client', () => {
  it('hands back the answer’s headers, so a read can keep its etag', async () => {
    stubFetch({ 'GET /api/thing': () => ({ body: { id: 't' }, headers: { etag: 'abc' } }) });
    const answer = await requestWithResponse<{ id: string }>('/api/thing');
    expect(answer.data).toEqual({ id: 't' });
    expect(answer.headers.get('etag')).toBe('abc');
  });

  it('sends if-match only when given, and turns a 412 into a stale-version error', async () => {
    const calls = stubFetch({
      'PUT /api/thing': (call) =>
        call.headers['if-match'] === 'abc'
          ? { body: { ok: true } }
          : { status: 412, body: { code: 'NoEtagMatch', message: 'changed meanwhile' } },
    });
    await expect(
      request('/api/thing', { method: 'PUT', json: {}, ifMatch: 'abc' }),
    ).resolves.toEqual({ ok: true });
    const stale = await request('/api/thing', { method: 'PUT', json: {}, ifMatch: 'old' }).catch(
      (e: unknown) => e,
    );
    expect(isStaleVersionError(stale)).toBe(true);
    await request('/api/thing', { method: 'PUT', json: {} }).catch(() => undefined);
    expect(calls.map((c) => c.headers['if-match'])).toEqual(['abc', 'old', undefined]);
  });
});
