import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../backend.ts';
import { systemClock } from '../clock.ts';
import { createTestSession } from '../testing/test-app.ts';
import { openDb } from '../db/open-db.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVICES = 400;
const DAY_S = 86_400;

interface Bff {
  child: ChildProcess;
  baseUrl: string;
  exited: Promise<number | null>;
}

/** Starts the real server (server.ts) on a file database and waits for "listening". */
function startBff(env: NodeJS.ProcessEnv): Promise<Bff> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/bff/src/server.ts'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('the BFF did not start')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const match = /Meshdeck listening on (http:\/\/[^"\s]+)/.exec(buffer);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1], exited });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the BFF exited with ${code} before listening`));
    });
  });
}

async function waitFor<T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('kill -9 in the middle of renewals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-kill-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing and renews every certificate exactly once after a restart', async () => {
    const dbPath = join(dir, 'meshdeck.db');
    // Services stored before the BFF starts; it queues their certificates at start (backfill
    // covers none here: the write hooks already did).
    const seedDb = openDb(dbPath);
    const { services } = createBackend(seedDb, systemClock);
    const mesh = services.Mesh.create({
      compartmentId: 'ocid1.compartment.oc1..kill',
      displayName: 'kill-mesh',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..kill' }],
    }).record;
    for (let i = 0; i < SERVICES; i += 1) {
      services.VirtualService.create({
        compartmentId: 'ocid1.compartment.oc1..kill',
        meshId: mesh.id,
        name: `svc-${i}`,
        hosts: [`svc-${i}.kill.svc`],
      });
    }
    // The demo clock is advanced from the console face, which needs a signed-in operator.
    const session = createTestSession(seedDb, systemClock, 'operator');
    seedDb.close();

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      MESHDECK_DB: dbPath,
      MESHDECK_DEMO: '1',
      MESHDECK_OCI_AUTH: 'none',
      MESHDECK_SECRET_KEY: randomBytes(32).toString('base64'),
      MESHDECK_JOB_POLL_MS: '20',
      MESHDECK_JOB_LEASE_MS: '1000',
    };
    const reader = new Database(dbPath);
    const count = (sql: string) => reader.prepare(sql).pluck().get() as number;
    const renewedCount = () => count('SELECT COUNT(*) FROM certificate_versions WHERE version = 2');

    const first = await startBff(env);
    children.push(first.child);
    await waitFor('the first issue', () =>
      count('SELECT COUNT(*) FROM certificates WHERE current_version = 1') === SERVICES
        ? true
        : undefined,
    );

    // Move past every renewal time (45-day leaves renew at 30 days) and kill -9 mid-sweep.
    void fetch(`${first.baseUrl}/api/demo/clock/advance`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
      },
      body: JSON.stringify({ seconds: 31 * DAY_S }),
    }).catch(() => undefined);
    await waitFor('renewals to start', () => (renewedCount() > 0 ? true : undefined));
    first.child.kill('SIGKILL');
    await first.exited;
    const renewedAtKill = renewedCount();
    expect(renewedAtKill).toBeGreaterThan(0);
    expect(renewedAtKill).toBeLessThan(SERVICES);
    expect(count("SELECT COUNT(*) FROM jobs WHERE status = 'RUNNING'")).toBeGreaterThan(0);

    const second = await startBff(env);
    children.push(second.child);
    await waitFor('every renewal', () => (renewedCount() === SERVICES ? true : undefined), 45_000);
    // Let a few more polls pass: nothing more may happen.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(
      count(
        `SELECT COUNT(*) FROM (SELECT certificate_id FROM certificate_versions
         GROUP BY certificate_id HAVING COUNT(*) != 2)`,
      ),
    ).toBe(0);
    expect(count('SELECT COUNT(*) FROM certificates WHERE current_version != 2')).toBe(0);
    expect(count('SELECT COUNT(DISTINCT serial_number) FROM certificate_versions')).toBe(
      2 * SERVICES,
    );
    // Each renewal answered the first version's due time.
    expect(
      count(
        `SELECT COUNT(*) FROM certificate_versions v2 JOIN certificate_versions v1
           ON v1.certificate_id = v2.certificate_id AND v1.version = 1
         WHERE v2.version = 2 AND v2.due_at = v1.renew_at`,
      ),
    ).toBe(SERVICES);
    expect(
      count("SELECT COUNT(*) FROM jobs WHERE type = 'certificate' AND status != 'PENDING'"),
    ).toBe(0);
    // The restarted BFF took over the runs the killed one left behind.
    expect(count("SELECT COUNT(*) FROM job_runs WHERE outcome = 'ABANDONED'")).toBeGreaterThan(0);

    reader.close();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);
});
