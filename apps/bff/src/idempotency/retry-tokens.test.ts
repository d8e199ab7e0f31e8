import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDbAgain, openTestDbAt, testDbTarget } from '../testing/test-db.ts';
import { ociSignedHeaders, registerClientKey } from '../testing/oci-signing.ts';
import {
  CA_ID,
  COMPARTMENT_ID,
  createMesh,
  createTestApp,
  type TestApp,
} from '../testing/test-app.ts';
import { canonicalJson } from './idempotent-write.ts';
import { RETRY_TOKEN_TTL_MS } from './retry-tokens.repository.ts';

const TOKEN = '6b1e1c0e-ef2c-11f1-8ec0-45a6fad734fa';
const meshBody = (displayName = 'm1') => ({
  compartmentId: COMPARTMENT_ID,
  displayName,
  certificateAuthorities: [{ id: CA_ID }],
});

function count(t: TestApp, table: string): number {
  return t.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

function answer(res: { status: number; headers: Record<string, string>; text: string }) {
  return {
    status: res.status,
    etag: res.headers.etag,
    workRequest: res.headers['opc-work-request-id'],
    location: res.headers.location,
    body: res.text,
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-retry-'));
  dirs.push(dir);
  return join(dir, 'meshdeck.db');
}

describe('opc-retry-token', () => {
  it('replays the first answer exactly for the same token and body, creating nothing more', async () => {
    const t = createTestApp();
    const post = () =>
      t.http.post('/20220615/meshes').set('opc-retry-token', TOKEN).send(meshBody());
    const first = await post();
    expect(first.status).toBe(200);
    t.clock.advance(60_000);
    const again = await post();
    expect(answer(again)).toEqual(answer(first));
    expect(again.headers['opc-request-id']).not.toBe(first.headers['opc-request-id']);
    expect(count(t, 'meshes')).toBe(1);
    expect(count(t, 'work_requests')).toBe(1);
  });

  it('treats the same body with its keys in another order as the same body', async () => {
    const t = createTestApp();
    const body = meshBody();
    const reordered = {
      certificateAuthorities: body.certificateAuthorities,
      displayName: body.displayName,
      compartmentId: body.compartmentId,
    };
    expect(canonicalJson(reordered)).toBe(canonicalJson(body));
    const first = await t.http.post('/20220615/meshes').set('opc-retry-token', TOKEN).send(body);
    const again = await t.http
      .post('/20220615/meshes')
      .set('opc-retry-token', TOKEN)
      .send(reordered);
    expect(again.body.id).toBe(first.body.id);
    expect(count(t, 'meshes')).toBe(1);
  });

  it('answers 409 InvalidatedRetryToken for the same token with another body or operation', async () => {
    const t = createTestApp();
    const first = await t.http
      .post('/20220615/meshes')
      .set('opc-retry-token', TOKEN)
      .send(meshBody('m1'));
    const otherBody = await t.http
      .post('/20220615/meshes')
      .set('opc-retry-token', TOKEN)
      .send(meshBody('m2'));
    expect(otherBody.status).toBe(409);
    expect(otherBody.body.code).toBe('InvalidatedRetryToken');
    const otherOperation = await t.http
      .put(`/20220615/meshes/${first.body.id}`)
      .set('opc-retry-token', TOKEN)
      .send(meshBody('m1'));
    expect(otherOperation.status).toBe(409);
    expect(otherOperation.body.code).toBe('InvalidatedRetryToken');
    expect(count(t, 'meshes')).toBe(1);
    expect(count(t, 'work_requests')).toBe(1);
  });

  it('replays an update: one work request, one new etag', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    const put = () =>
      t.http
        .put(`/20220615/meshes/${mesh.id}`)
        .set('opc-retry-token', TOKEN)
        .set('if-match', mesh.etag)
        .send({ description: 'once' });
    const first = await put();
    expect(first.status).toBe(202);
    const etagAfter = (await t.http.get(`/20220615/meshes/${mesh.id}`)).headers.etag;
    // The replay does not run the write again, so the now-stale if-match does not matter.
    const again = await put();
    expect(answer(again)).toEqual(answer(first));
    expect((await t.http.get(`/20220615/meshes/${mesh.id}`)).headers.etag).toBe(etagAfter);
    expect(count(t, 'work_requests')).toBe(2);
  });

  it('keeps nothing for a refused write, so the same token can be used to retry it', async () => {
    const t = createTestApp();
    const bad = await t.http
      .post('/20220615/meshes')
      .set('opc-retry-token', TOKEN)
      .send({ ...meshBody(), displayName: 42 });
    expect(bad.status).toBe(400);
    const good = await t.http
      .post('/20220615/meshes')
      .set('opc-retry-token', TOKEN)
      .send(meshBody());
    expect(good.status).toBe(200);
    expect(count(t, 'meshes')).toBe(1);
  });

  it('forgets a token after 24 hours by the injected clock', async () => {
    const t = createTestApp();
    const post = () =>
      t.http.post('/20220615/meshes').set('opc-retry-token', TOKEN).send(meshBody());
    const first = await post();
    t.clock.advance(RETRY_TOKEN_TTL_MS - 1);
    expect((await post()).body.id).toBe(first.body.id);
    t.clock.advance(1);
    const later = await post();
    expect(later.status).toBe(200);
    expect(later.body.id).not.toBe(first.body.id);
    expect(count(t, 'meshes')).toBe(2);
    expect(count(t, 'retry_tokens')).toBe(1);
  });

  it('keeps tokens across a restart', async () => {
    const path = dbFile();
    const store = openTestDbAt(path);
    const before = createTestApp({ db: openTestDbAgain(store, path) });
    const first = await before.http
      .post('/20220615/meshes')
      .set('opc-retry-token', TOKEN)
      .send(meshBody());
    before.db.close();
    const after = createTestApp({ db: openTestDbAgain(store, path) });
    const again = await after.http
      .post('/20220615/meshes')
      .set('opc-retry-token', TOKEN)
      .send(meshBody());
    expect(answer(again)).toEqual(answer(first));
    expect(count(after, 'meshes')).toBe(1);
  });

  it('lets only one of many concurrent requests with one token write, across two connections', async () => {
    const path = dbFile();
    const a = createTestApp({ db: openTestDbAt(path) });
    const b = createTestApp({ db: openTestDbAgain(a.db, path) });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? a : b).http
          .post('/20220615/meshes')
          .set('opc-retry-token', TOKEN)
          .send(meshBody()),
      ),
    );
    const answers = results.map(answer);
    expect(answers.every((x) => x.status === 200)).toBe(true);
    expect(new Set(answers.map((x) => x.body)).size).toBe(1);
    expect(count(a, 'meshes')).toBe(1);
    expect(count(a, 'work_requests')).toBe(1);
  });

  it('lets only one of two processes on one database write for one token', async () => {
    const path = dbFile();
    const here = createTestApp({ db: openTestDbAt(path) });
    // The other process runs on the real clock; token expiry must agree between the two.
    here.clock.set(new Date());
    const server = here.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const script = fileURLToPath(new URL('../testing/serve-db.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, testDbTarget(here.db, path)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const childPort = await new Promise<number>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
        child.once('exit', (code) => reject(new Error(`serve-db exited with ${code}`)));
      });
      const ports = [(server.address() as AddressInfo).port, childPort];
      const answers = await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const res = await fetch(`http://127.0.0.1:${ports[i % 2]}/20220615/meshes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'opc-retry-token': TOKEN },
            body: JSON.stringify(meshBody()),
          });
          return { status: res.status, body: await res.text() };
        }),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(count(here, 'meshes')).toBe(1);
      expect(count(here, 'work_requests')).toBe(1);
    } finally {
      child.kill('SIGTERM');
      server.close();
    }
  });

  it('keeps each signing user’s tokens apart', async () => {
    const t = createTestApp({ config: { ociAuth: 'signature' } });
    t.clock.set(new Date());
    const alice = registerClientKey(t.db, t.clock, 'alice');
    const bob = registerClientKey(t.db, t.clock, 'bob');
    const body = JSON.stringify(meshBody());
    for (const key of [alice, bob]) {
      const headers = await ociSignedHeaders({
        key,
        method: 'POST',
        path: '/20220615/meshes',
        body,
      });
      const res = await t.http
        .post('/20220615/meshes')
        .set({ ...headers, 'opc-retry-token': TOKEN })
        .send(body);
      expect(res.status).toBe(200);
    }
    expect(count(t, 'meshes')).toBe(2);
  });

  it('refuses an unreasonable token', async () => {
    const t = createTestApp();
    const res = await t.http
      .post('/20220615/meshes')
      .set('opc-retry-token', 'x'.repeat(129))
      .send(meshBody());
    expect(res.status).toBe(400);
    expect(count(t, 'meshes')).toBe(0);
  });
});
