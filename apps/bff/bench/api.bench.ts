/**
 * P1–P3: the BFF's OCI face under load, with its real middleware, next to same-run baselines.
 *
 *   node --import tsx apps/bff/bench/api.bench.ts [--full] [--db=postgres://…]
 *
 * A SQLite file (or the PostgreSQL store at `db`, an empty schema) is seeded through the store
 * code (one mesh, 10 000 virtual services, an API user with a registered key; the certificate jobs
 * the seeding queued are dropped so no issuance runs under the measurement). The real server (apps/bff/src/server.ts) serves it in its own process,
 * with request signatures on (`MESHDECK_OCI_AUTH=signature`): every request carries an OCI
 * signature made by oci-common's DefaultRequestSigner with the registered key, signed before the
 * run (dates within the allowed skew), so the client spends no time signing. The per-client rate
 * limit is raised for the run (it is a policy, not a capacity).
 *
 * - P1/P2 get and list of 50: autocannon, 50 connections, against bare node:http and an Express 5
 *   "hello" (baseline-server.ts) in the same run; P2 also at a fixed 1 000 req/s.
 * - creates (P1/P2) and the retry storm (P3): a keep-alive node:http client with 50 requests in
 *   flight, each create a distinct signed body; the hello baseline is measured with the same client.
 *   In the storm a quarter of the requests repeat an earlier request's retry token (same body),
 *   and some repeats are sent at the same moment as their original. Exactly once: one virtual
 *   service per token; replays identical: every answer for a token has the same status and body.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../src/backend.ts';
import { systemClock } from '../src/clock.ts';
import { openDb } from '../src/db/open-db.ts';
import { ociSignedHeaders, registerClientKey, type ClientKey } from '../src/testing/oci-signing.ts';
import type { BenchRow } from './bench-row.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const COMPARTMENT = 'ocid1.compartment.oc1..bench';
const SERVICES = 10_000;
const CONNECTIONS = 50;

interface Proc {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns a server and waits until it prints `ready` (a regular expression). */
function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (ready.test(out)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({
          child,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

interface Cannon {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

async function cannon(
  url: string,
  options: {
    durationS: number;
    rate?: number;
    requests?: { method: 'GET'; path: string; headers: Record<string, string> }[];
  },
): Promise<Cannon> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: options.durationS,
    ...(options.rate ? { overallRate: options.rate } : {}),
    ...(options.requests ? { requests: options.requests } : {}),
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    requests: result.requests.total,
  };
}

interface Sent {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** Sends every request with `CONNECTIONS` in flight over keep-alive; answers in order. */
async function drive(
  port: number,
  items: Sent[][],
): Promise<{ answers: Answer[][]; ms: number; p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const one = (item: Sent) =>
    new Promise<Answer>((resolve, reject) => {
      const start = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: item.method,
          path: item.path,
          headers: item.headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - start,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(item.body);
    });
  const answers: Answer[][] = new Array(items.length);
  let next = 0;
  const start = performance.now();
  // A group is sent at once (a race); the next group waits for a free slot.
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      answers[index] = await Promise.all((items[index] as Sent[]).map(one));
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const ms = performance.now() - start;
  agent.destroy();
  const times = answers
    .flat()
    .map((a) => a.ms)
    .sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10;
  return { answers, ms, p50: at(0.5), p99: at(0.99) };
}

function seed(target: string): { meshId: string; serviceIds: string[]; key: ClientKey } {
  const db = openDb(target);
  try {
    const { services } = createBackend(db, systemClock);
    const mesh = services.Mesh.create({
      compartmentId: COMPARTMENT,
      displayName: 'bench-mesh',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..bench' }],
    }).record;
    const serviceIds: string[] = [];
    db.transaction(() => {
      for (let i = 0; i < SERVICES; i += 1) {
        serviceIds.push(
          services.VirtualService.create({
            compartmentId: COMPARTMENT,
            meshId: mesh.id,
            name: `svc-${i}`,
            hosts: [`svc-${i}.bench.svc`],
          }).record.id,
        );
      }
    })();
    // Issuing 10 000 first certificates is P8's subject, not this one's.
    db.prepare('DELETE FROM jobs').run();
    const key = registerClientKey(db, systemClock, 'bench');
    return { meshId: mesh.id, serviceIds, key };
  } finally {
    db.close();
  }
}

export interface ApiBenchResult {
  bare: Cannon;
  express: Cannon;
  get: Cannon;
  list: Cannon;
  getAt1000: Cannon;
  listAt1000: Cannon;
  helloByClient: { rps: number };
  create: {
    rps: number;
    p50: number;
    p99: number;
    errors: number;
    statuses: Record<string, number>;
    count: number;
  };
  storm: {
    requests: number;
    tokens: number;
    replays: number;
    races: number;
    rps: number;
    p99: number;
    created: number;
    /** Tokens with at least one 200 answer. */
    answered: number;
    exactlyOnce: boolean;
    replaysIdentical: boolean;
    statuses: Record<string, number>;
    errors: number;
  };
  seedMs: number;
}

export async function runApiBench(
  options: {
    full?: boolean;
    basePort?: number;
    /** The store to measure on: a `postgres://` URL of an empty schema; default a SQLite file. */
    db?: string;
  } = {},
): Promise<ApiBenchResult> {
  const full = options.full ?? false;
  const basePort = options.basePort ?? 9400;
  const durationS = full ? 15 : 5;
  const creates = full ? 10_000 : 2_000;
  const stormSize = full ? 20_000 : 4_000;
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-api-bench-'));
  const procs: Proc[] = [];
  try {
    const seedStart = performance.now();
    const dbPath = options.db ?? join(dir, 'meshdeck.db');
    const { meshId, serviceIds, key } = seed(dbPath);
    const seedMs = Math.round(performance.now() - seedStart);

    const [barePort, expressPort, bffPort] = [basePort, basePort + 1, basePort + 2];
    const bare = await startProcess(
      ['apps/bff/bench/baseline-server.ts', 'bare', String(barePort)],
      process.env,
      /listening/,
    );
    procs.push(bare);
    const exp = await startProcess(
      ['apps/bff/bench/baseline-server.ts', 'express', String(expressPort)],
      process.env,
      /listening/,
    );
    procs.push(exp);
    const bff = await startProcess(
      ['apps/bff/src/server.ts'],
      {
        ...process.env,
        PORT: String(bffPort),
        HOST: '127.0.0.1',
        MESHDECK_DB: dbPath,
        MESHDECK_DEMO: '0',
        MESHDECK_OCI_AUTH: 'signature',
        MESHDECK_SECRET_KEY: randomBytes(32).toString('base64'),
        MESHDECK_API_RATE_PER_MINUTE: '100000000',
        MESHDECK_CONSOLE_DIR: join(dir, 'no-console'),
      },
      /Meshdeck listening on/,
    );
    procs.push(bff);

    const host = `127.0.0.1:${bffPort}`;
    const signed = async (
      method: 'GET' | 'POST',
      path: string,
      body?: string,
      extra: Record<string, string> = {},
    ) => {
      const headers = await ociSignedHeaders({
        key,
        method,
        path,
        host,
        ...(body !== undefined ? { body } : {}),
      });
      return { ...headers, ...extra };
    };
    const getRequests = await Promise.all(
      serviceIds.slice(0, 200).map(async (id) => {
        const path = `/20220615/virtualServices/${id}`;
        return { method: 'GET' as const, path, headers: await signed('GET', path) };
      }),
    );
    const listPaths = ['ASC', 'DESC'].map(
      (order) =>
        `/20220615/virtualServices?compartmentId=${COMPARTMENT}&meshId=${meshId}&limit=50&sortBy=timeCreated&sortOrder=${order}`,
    );
    const listRequests = await Promise.all(
      listPaths.map(async (path) => ({
        method: 'GET' as const,
        path,
        headers: await signed('GET', path),
      })),
    );
    // Check the signed requests are accepted before measuring.
    const probe = await drive(bffPort, [[getRequests[0] as Sent], [listRequests[0] as Sent]]);
    for (const [answer] of probe.answers) {
      if (answer?.status !== 200)
        throw new Error(`the BFF refused the probe: ${answer?.status} ${answer?.body}`);
    }
    const listed = JSON.parse(probe.answers[1]?.[0]?.body ?? '{}') as { items?: unknown[] };
    if (listed.items?.length !== 50)
      throw new Error(`a list of 50 returned ${listed.items?.length}`);

    const bareFig = await cannon(`http://127.0.0.1:${barePort}/`, { durationS });
    const expressFig = await cannon(`http://127.0.0.1:${expressPort}/`, { durationS });
    const getFig = await cannon(`http://${host}`, { durationS, requests: getRequests });
    const listFig = await cannon(`http://${host}`, { durationS, requests: listRequests });
    const getAt1000 = await cannon(`http://${host}`, {
      durationS,
      rate: 1000,
      requests: getRequests,
    });
    const listAt1000 = await cannon(`http://${host}`, {
      durationS,
      rate: 1000,
      requests: listRequests,
    });

    // The hello baseline through the same client as the creates.
    const helloItems: Sent[][] = Array.from({ length: creates }, () => [
      { method: 'GET', path: '/', headers: {} },
    ]);
    const hello = await drive(expressPort, helloItems);
    const helloByClient = { rps: Math.round((creates / hello.ms) * 1000) };

    const createBody = (name: string) =>
      JSON.stringify({ compartmentId: COMPARTMENT, meshId, name, hosts: [`${name}.bench.svc`] });
    const createItems: Sent[][] = [];
    for (let i = 0; i < creates; i += 1) {
      const body = createBody(`new-${i}`);
      createItems.push([
        {
          method: 'POST',
          path: '/20220615/virtualServices',
          headers: await signed('POST', '/20220615/virtualServices', body),
          body,
        },
      ]);
    }
    const created = await drive(bffPort, createItems);
    const createStatuses: Record<string, number> = {};
    for (const a of created.answers.flat())
      createStatuses[a.status] = (createStatuses[a.status] ?? 0) + 1;
    const createErrors = created.answers.flat().filter((a) => a.status !== 200).length;
    const create = {
      rps: Math.round((creates / created.ms) * 1000),
      p50: created.p50,
      p99: created.p99,
      errors: createErrors,
      statuses: createStatuses,
      count: creates,
    };

    // The storm: three quarters first sends (each its own token), a quarter repeats of earlier
    // ones; one repeat in five is sent together with its original (a race).
    const firsts: Sent[] = [];
    const uniqueCount = Math.round(stormSize * 0.75);
    for (let i = 0; i < uniqueCount; i += 1) {
      const body = createBody(`storm-${i}`);
      const token = `storm-token-${i}`;
      firsts.push({
        method: 'POST',
        path: '/20220615/virtualServices',
        headers: await signed('POST', '/20220615/virtualServices', body, {
          'opc-retry-token': token,
        }),
        body,
      });
    }
    // opc-retry-token is not among the headers OCI signs.
    const items: Sent[][] = firsts.map((first) => [first]);
    const tokenOf = (s: Sent) => s.headers['opc-retry-token'] as string;
    let replays = 0;
    let races = 0;
    const repeats = stormSize - uniqueCount;
    for (let r = 0; r < repeats; r += 1) {
      const originalIndex = Math.floor(((r + 1) / (repeats + 1)) * uniqueCount);
      const original = firsts[originalIndex] as Sent;
      if (r % 5 === 0) {
        (items[originalIndex] as Sent[]).push(original);
        races += 1;
      } else {
        // Later in the storm than its original.
        const at = Math.min(items.length, originalIndex + 1 + ((r * 37) % 500));
        items.splice(at, 0, [original]);
        replays += 1;
      }
    }
    const storm = await drive(bffPort, items);
    // Per token: its 200 answers (all must be identical), and whether any was a 200. Answers
    // refused before the write (429 admission control, 503 store busy) apply nothing and are
    // counted apart: a later repeat of the same token may then be the one that creates it.
    const byToken = new Map<string, { ok: Set<string>; any200: boolean }>();
    const stormStatuses: Record<string, number> = {};
    items.forEach((group, i) =>
      group.forEach((sent, j) => {
        const answer = storm.answers[i]?.[j] as Answer;
        stormStatuses[answer.status] = (stormStatuses[answer.status] ?? 0) + 1;
        const seen = byToken.get(tokenOf(sent)) ?? { ok: new Set<string>(), any200: false };
        if (answer.status === 200) {
          seen.ok.add(answer.body);
          seen.any200 = true;
        }
        byToken.set(tokenOf(sent), seen);
      }),
    );
    const stormErrors = Object.entries(stormStatuses)
      .filter(([status]) => status !== '200')
      .reduce((sum, [, n]) => sum + n, 0);
    const db = openDb(dbPath);
    const rowsPerName = new Map(
      (
        db
          .prepare(
            "SELECT name, COUNT(*) AS n FROM virtual_services WHERE name LIKE 'storm-%' GROUP BY name",
          )
          .all() as { name: string; n: number }[]
      ).map((r) => [r.name, r.n]),
    );
    db.close();
    const createdInStorm = [...rowsPerName.values()].reduce((sum, n) => sum + n, 0);
    const answered = [...byToken.values()].filter((t) => t.any200).length;
    // Exactly once: every token answered 200 has exactly one service; none has two; none without a 200.
    const exactlyOnce =
      [...rowsPerName.values()].every((n) => n === 1) && createdInStorm === answered;
    const totalSent = items.reduce((sum, g) => sum + g.length, 0);
    return {
      bare: bareFig,
      express: expressFig,
      get: getFig,
      list: listFig,
      getAt1000,
      listAt1000,
      helloByClient,
      create,
      storm: {
        requests: totalSent,
        tokens: uniqueCount,
        replays,
        races,
        rps: Math.round((totalSent / storm.ms) * 1000),
        p99: storm.p99,
        created: createdInStorm,
        answered,
        exactlyOnce,
        replaysIdentical: [...byToken.values()].every((t) => t.ok.size <= 1),
        errors: stormErrors,
        statuses: stormStatuses,
      },
      seedMs,
    };
  } finally {
    for (const proc of procs.reverse()) await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const x = (n: number, base: number) => (base > 0 ? Math.round((n / base) * 100) / 100 : 0);

/** The P1–P3 rows of the table. */
export function apiRows(r: ApiBenchResult): BenchRow[] {
  const how = 'OCI face, signed requests (oci-common signer, registered API key), real server.ts';
  return [
    {
      id: 'P1',
      what: `get one of 10 000 virtual services; autocannon, 50 connections; ${how}`,
      measured: `${r.get.rps}/s = ${x(r.get.rps, r.express.rps)}× Express hello (${r.express.rps}/s; bare node:http ${r.bare.rps}/s, Express = ${x(r.express.rps, r.bare.rps)}× bare); ${r.get.errors} errors`,
      goal: '≥ 0.75× Express hello; 0 errors',
      met: r.get.rps >= 0.75 * r.express.rps && r.get.errors === 0,
    },
    {
      id: 'P1',
      what: `list of 50 (of 10 000); same`,
      measured: `${r.list.rps}/s = ${x(r.list.rps, r.express.rps)}× Express hello; ${r.list.errors} errors`,
      goal: '≥ 0.30× Express hello; 0 errors',
      met: r.list.rps >= 0.3 * r.express.rps && r.list.errors === 0,
    },
    {
      id: 'P1',
      what: `create a virtual service; node:http client, 50 in flight, ${r.create.count} distinct signed bodies`,
      measured: `${r.create.rps}/s = ${x(r.create.rps, r.helloByClient.rps)}× Express hello through the same client (${r.helloByClient.rps}/s); ${r.create.errors} errors (answers by status ${JSON.stringify(r.create.statuses)})`,
      goal: '≥ 0.30× Express hello; 0 errors',
      met: r.create.rps >= 0.3 * r.helloByClient.rps && r.create.errors === 0,
    },
    {
      id: 'P2',
      what: 'latency at a fixed 1 000 req/s (get; list of 50)',
      measured: `get p99 ${r.getAt1000.p99} ms (p50 ${r.getAt1000.p50}); list p99 ${r.listAt1000.p99} ms (p50 ${r.listAt1000.p50}); ${r.getAt1000.errors + r.listAt1000.errors} errors`,
      goal: 'p99 ≤ 10 ms',
      met: r.getAt1000.p99 <= 10 && r.listAt1000.p99 <= 10,
    },
    {
      id: 'P2',
      what: 'latency at saturation (the P1 runs)',
      measured: `get p99 ${r.get.p99} ms; list p99 ${r.list.p99} ms; create p99 ${r.create.p99} ms`,
      goal: 'p99 ≤ 15 ms get, ≤ 40 ms list and create',
      met: r.get.p99 <= 15 && r.list.p99 <= 40 && r.create.p99 <= 40,
    },
    {
      id: 'P3',
      what: `retry storm: ${r.storm.requests} creates, ${r.storm.tokens} tokens, ${r.storm.replays} later replays, ${r.storm.races} racing repeats`,
      measured: `${r.storm.created} created for ${r.storm.answered} tokens answered 200 of ${r.storm.tokens} (${r.storm.exactlyOnce ? 'exactly once' : 'NOT exactly once'}); 200 replays ${r.storm.replaysIdentical ? 'identical' : 'DIFFER'}; answers by status ${JSON.stringify(r.storm.statuses)}; ${r.storm.rps}/s = ${x(r.storm.rps, r.create.rps)}× P1 create; p99 ${r.storm.p99} ms`,
      goal: 'exactly once; replays identical; ≥ 0.9× the P1 create rate',
      met: r.storm.exactlyOnce && r.storm.replaysIdentical && r.storm.rps >= 0.9 * r.create.rps,
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const db = process.argv.find((a) => a.startsWith('--db='))?.slice('--db='.length);
  const result = await runApiBench({
    full: process.argv.includes('--full'),
    ...(db ? { db } : {}),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
