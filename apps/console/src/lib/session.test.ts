import { afterEach, describe, expect, it } from 'vitest';
import { stubFetch } from '../test/fetch-stub.ts';
import { onUnauthenticated, request, setCsrfToken } from './api-client.ts';
import { fetchSession } from './session.ts';

afterEach(() => setCsrfToken(undefined));

describe('session and CSRF in the api client', () => {
  it('sends the session’s CSRF token on writes only, once GET /api/session gave it', async () => {
    const calls = stubFetch({
      'GET /api/session': () => ({
        body: {
          signedIn: true,
          user: { id: 'u1', name: 'alice', role: 'operator' },
          permissions: ['read', 'write'],
          csrfToken: 'tok-1',
          timeExpires: '2030-01-01T00:00:00.000Z',
        },
      }),
      'GET /api/meshes': () => ({ body: { items: [] } }),
      'POST /api/meshes': () => ({ status: 201, body: {} }),
    });
    await request('/api/meshes', { method: 'POST', json: {} });
    await fetchSession();
    await request('/api/meshes');
    await request('/api/meshes', { method: 'POST', json: {} });
    expect(calls.map((c) => [c.method, c.path, c.headers['x-csrf-token']])).toEqual([
      ['POST', '/api/meshes', undefined],
      ['GET', '/api/session', undefined],
      ['GET', '/api/meshes', undefined],
      ['POST', '/api/meshes', 'tok-1'],
    ]);
  });

  it('tells listeners about a 401, so the app can send the user to sign in', async () => {
    stubFetch({
      'GET /api/meshes': () => ({
        status: 401,
        body: { code: 'NotAuthenticated', message: 'sign in first (POST /api/session)' },
      }),
    });
    let told = 0;
    const stop = onUnauthenticated(() => {
      told += 1;
    });
    const error = await request('/api/meshes').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 'NotAuthenticated' });
    expect(told).toBe(1);
    stop();
    await request('/api/meshes').catch(() => undefined);
    expect(told).toBe(1);
  });
});
