/**
 * SIGTERM while workers write and read: no 5xx, a request whose body was still arriving when the
 * signal came is answered, job runs settle (none left RUNNING), the WAL is checkpointed, the exit
 * code is 0, and everything acknowledged is there after the restart.
 */
import { existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import {
  Bff,
  call,
  checker,
  createMesh,
  field,
  inspect,
  integrityCheck,
  sleep,
  tempDir,
  virtualServiceBody,
  type Scenario,
} from '../lib.ts';

/**
 * A POST whose body arrives in two halves. It asks `Expect: 100-continue`, so `started` resolves
 * once the server has read its headers and begun it (a request still in the socket buffer is not
 * in flight yet); then half the body is sent. `status` is 0 when no answer came.
 */
function slowPost(
  url: string,
  body: unknown,
): { started: Promise<void>; sendRest(): void; status: Promise<number> } {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const req = request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      expect: '100-continue',
    },
  });
  const started = new Promise<void>((resolve) => {
    req.on('continue', () => {
      req.write(text.slice(0, half));
      resolve();
    });
  });
  const status = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });
  req.flushHeaders();
  return { started, sendRest: () => req.end(text.slice(half)), status };
}

export const sigtermUnderLoad: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('sigterm');
  const dbPath = join(dir, 'meshdeck.db');
  // Admission control is not under test here: on a busy machine it could shed the request whose
  // answer after SIGTERM this scenario checks.
  const bff = new Bff({ port: ctx.port(), dbPath, env: { MESHDECK_MAX_LAG_MS: '60000' } });
  await bff.start();
  const meshId = await createMesh(bff);
  const statuses = new Map<number, number>();
  const acked: string[] = [];
  let refused = 0;
  let signalled = false;
  const worker = async (w: number) => {
    for (let n = 0; ; n += 1) {
      try {
        const res =
          n % 2 === 0
            ? await call('POST', `${bff.oci}/virtualServices`, {
                body: virtualServiceBody(meshId, `t${w}-${n}`),
              })
            : await call(
                'GET',
                `${bff.oci}/virtualServices?compartmentId=${encodeURIComponent(String(virtualServiceBody(meshId, 'x').compartmentId))}&limit=20`,
              );
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200 && n % 2 === 0) acked.push(String(field(res.body, 'id')));
      } catch {
        // After the signal the listener is closed: new connections are refused, as they should.
        if (signalled) {
          refused += 1;
          return;
        }
        await sleep(50);
      }
    }
  };
  const workers = Array.from({ length: 8 }, (_, w) => worker(w));
  await sleep(1500);
  const slow = slowPost(`${bff.oci}/virtualServices`, virtualServiceBody(meshId, 'in-flight'));
  await Promise.race([slow.started, sleep(15_000)]);
  await sleep(50);
  signalled = true;
  const stopping = bff.stop();
  await sleep(300);
  slow.sendRest();
  const [exitCode, slowStatus] = await Promise.all([stopping, slow.status]);
  await Promise.all(workers);

  const afterStop = inspect(dbPath, (db) => ({
    runsLeftRunning: db
      .prepare(`SELECT COUNT(*) FROM job_runs WHERE outcome = 'RUNNING'`)
      .pluck()
      .get() as number,
  }));
  const walPath = `${dbPath}-wal`;
  const walBytes = existsSync(walPath) ? statSync(walPath).size : 0;

  await bff.start();
  let lost = 0;
  for (const id of acked) {
    const res = await call('GET', `${bff.oci}/virtualServices/${id}`);
    if (res.status !== 200) lost += 1;
  }
  const stopCode = await bff.stop();
  const integrity = integrityCheck(dbPath);
  const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);

  check(fivexx === 0, `${fivexx} answers were 5xx`);
  check(slowStatus === 200, `the request in flight at SIGTERM got ${slowStatus || 'no answer'}`);
  check(exitCode === 0, `exit code ${exitCode} after SIGTERM`);
  check(afterStop.runsLeftRunning === 0, `${afterStop.runsLeftRunning} job runs left RUNNING`);
  check(walBytes === 0, `the WAL holds ${walBytes} bytes after a graceful stop (not checkpointed)`);
  check(lost === 0, `${lost} acknowledged creates missing after the restart`);
  check(integrity === 'ok' && stopCode === 0, `integrity ${integrity}, second stop ${stopCode}`);
  return {
    pass: failures.length === 0,
    failures,
    figures: {
      answers: Object.fromEntries(statuses),
      acknowledgedWrites: acked.length,
      inFlightAtSignal: slowStatus,
      refusedAfterSignal: refused,
      exitCode,
      lostWrites: lost,
      integrityCheck: integrity,
    },
  };
};
