import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../db/open-db.ts';
import { PostgresError } from '../db/postgres.ts';
import { COMPARTMENT_ID, createMesh, createTestApp } from '../testing/test-app.ts';
import { toErrorReply } from './error-handler.ts';

const LEAKS = /SqliteError|SQLITE_|at .*\(|\/tmp\/|meshdeck\.db|node_modules|\.ts:\d/;

describe('a full disk', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('answers writes 503 with Retry-After and a plain JSON body, keeps reads, and writes again once there is room', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshdeck-full-'));
    dirs.push(dir);
    const db = openDb(join(dir, 'meshdeck.db'));
    const t = createTestApp({ db });
    await createMesh(t, 'm1');
    // The database may not grow by a page: SQLite answers SQLITE_FULL, as on a full disk.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const body = (i: number) => ({
      compartmentId: COMPARTMENT_ID,
      displayName: `big-${i}`,
      description: 'x'.repeat(300),
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..full' }],
    });
    let full: Awaited<ReturnType<typeof t.http.post>> | undefined;
    for (let i = 0; i < 200 && !full; i += 1) {
      const res = await t.http.post('/20220615/meshes').send(body(i));
      if (res.status !== 200) full = res;
    }
    expect(full?.status).toBe(503);
    expect(full?.headers['retry-after']).toBe('5');
    expect(full?.headers['content-type']).toMatch(/^application\/json/);
    expect(full?.body).toEqual({
      code: 'ServiceUnavailable',
      message:
        'the disk is full: writes are paused and resume by themselves once space is freed; reads still work',
    });
    expect(full?.text).not.toMatch(LEAKS);

    const read = await t.http.get(`/20220615/meshes?compartmentId=${COMPARTMENT_ID}`);
    expect(read.status).toBe(200);
    const names = read.body.items.map((m: { displayName: string }) => m.displayName);
    expect(names).toContain('m1');

    db.pragma('max_page_count = 1073741823');
    const again = await t.http.post('/20220615/meshes').send(body(999));
    expect(again.status).toBe(200);
    expect(again.body.displayName).toBe('big-999');
  });

  it('maps every store failure to 503 with Retry-After, never 500', () => {
    const cases: [string, string, number][] = [
      ['SQLITE_FULL', 'the disk is full', 5],
      ['SQLITE_BUSY', 'the store is unavailable; retry later', 1],
      ['SQLITE_BUSY_SNAPSHOT', 'the store is unavailable; retry later', 1],
      ['SQLITE_LOCKED', 'the store is unavailable; retry later', 1],
      ['SQLITE_IOERR_WRITE', 'could not read or write the disk', 5],
      ['SQLITE_IOERR_FSYNC', 'could not read or write the disk', 5],
      ['SQLITE_READONLY', 'unavailable', 1],
    ];
    for (const [code, text, retryAfter] of cases) {
      const error = Object.assign(new Error(`${code} at /var/lib/meshdeck/meshdeck.db`), { code });
      const reply = toErrorReply(error);
      expect(reply.status).toBe(503);
      expect(reply.retryAfterSeconds).toBe(retryAfter);
      expect(reply.body.code).toBe('ServiceUnavailable');
      expect(reply.body.message).toContain(text);
      expect(reply.body.message).not.toMatch(LEAKS);
    }
  });
});

describe('PostgreSQL errors that mean the store cannot serve', () => {
  it('answers 503 with the disk-full text for 53100, the generic one for a lost connection, and 500 for a bad statement', () => {
    const full = toErrorReply(new PostgresError('could not extend file', '53100'));
    expect(full.status).toBe(503);
    expect(full.body.message).toBe(
      'the disk is full: writes are paused and resume by themselves once space is freed; reads still work',
    );
    const lost = toErrorReply(new PostgresError('server closed the connection', undefined));
    expect(lost.status).toBe(503);
    expect(lost.body.message).toBe('the store is unavailable; retry later');
    expect(lost.retryAfterSeconds).toBe(1);
    const syntax = toErrorReply(new PostgresError('syntax error at or near "x"', '42601'));
    expect(syntax.status).toBe(500);
    expect(syntax.body.message).toBe('internal error');
  });
});
