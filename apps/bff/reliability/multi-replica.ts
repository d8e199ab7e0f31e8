/**
 * Several replicas on one PostgreSQL database (issue #11): three BFF processes with the same
 * secret key on different ports share one database. Writes go round-robin over all three (creates
 * and updates on the OCI face, updates on the console /api with one session shared by all three)
 * and every acknowledged write is recorded. Then the clock (one offset file read by all three)
 * moves past every certificate's renewal time, one replica is killed with SIGKILL in the middle of
 * the renewal sweep while the writes go on against the other two, and it is started again once the
 * sweep is done (one such round in short mode, three in full). The checks: every due certificate renewed exactly once (one new version each,
 * answering its due time, every serial unique), every acknowledged write in the database, no job
 * left RUNNING on a dead lease, no 5xx but 503, and the jobs shared among the replicas.
 *
 * `node --import tsx apps/bff/reliability/multi-replica.ts [--full]` (docs/reliability.md): on the
 * server in MESHDECK_TEST_POSTGRES, else on a throwaway one; exits 1 when a check fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { PostgresDb } from '../src/db/postgres.ts';
import { startPostgresCluster } from '../src/testing/postgres-cluster.ts';
import { DAY_MS } from './certificates.ts';
import {
  Bff,
  call,
  COMPARTMENT,
  createMesh,
  field,
  killAll,
  repoRoot,
  sleep,
  tempDir,
  virtualServiceBody,
  waitFor,
  writeOffset,
  type HttpResult,
} from './lib.ts';

export interface ReplicaJobs {
  /** The process ids this replica ran as (two when it was killed and started again). */
  pids: number[];
  /** Job runs it started (every type). */
  runs: number;
  /** Runs that committed a certificate's renewal. */
  renewals: number;
  /** Resource lifecycle steps (CREATING/UPDATING → ACTIVE). */
  lifecycleSteps: number;
  /** Its runs another replica took over after the lease expired (the killed one's). */
  abandoned: number;
  /** Its runs that found their lease taken by another replica (fenced: nothing committed). */
  leaseLost: number;
  /** Writes it answered 2xx. */
  acknowledgedWrites: number;
}

export interface KillRecord {
  round: number;
  replica: number;
  pid: number;
  /** Certificates due in this round. */
  dueCertificates: number;
  /** Due certificates renewed when the kill landed. */
  renewedBeforeKill: number;
  /** Renewals the victim held a lease on when it was killed… */
  leasedRenewalsAtKill: number;
  /** …and those of them it had not committed yet (the others must be taken over). */
  unfinishedRenewalsAtKill: number;
  /** Requests whose answer the kill took (each sent again to another replica). */
  answersLost: number;
  /** From the clock move to the last due certificate renewed. */
  sweepMs: number;
  restarted: string;
}

export interface MultiReplicaReport {
  mode: 'short' | 'full';
  date: string;
  node: string;
  pass: boolean;
  failures: string[];
  replicas: number;
  /** Clock moves, each with one kill mid-sweep (1 short, 3 full). */
  rounds: number;
  killed: KillRecord[];
  acknowledgedWrites: number;
  acknowledgedCreates: number;
  acknowledgedUpdates: number;
  /** Acknowledged updates sent to the console /api (the rest went to the OCI face). */
  acknowledgedConsoleUpdates: number;
  /** Requests whose answer a kill took (sent again to another replica). */
  answersLostToKills: number;
  lostWrites: number;
  /** Certificates in the database at the end. */
  certificates: number;
  /** Renewals due, summed over the rounds (each certificate once per round). */
  dueCertificates: number;
  /** Due renewals whose new version is there and answers the due time (extra ones: duplicates). */
  renewedOnce: number;
  duplicateRenewals: number;
  missedRenewals: number;
  duplicateSerials: number;
  /** Renewals a victim committed in the instant before its kill without settling its run. */
  committedNotSettled: number;
  /** Jobs RUNNING on an expired lease or a dead process's lease, runs of a dead process RUNNING. */
  stuckJobs: number;
  failedJobs: number;
  /** Answers 5xx other than 503 (must be 0) and 503s (retried). */
  serverErrors: number;
  unavailable503: number;
  jobsByReplica: Record<string, ReplicaJobs>;
  /** Job runs of all replicas by how they ended. */
  runsByOutcome: Record<string, number>;
  /** Warnings and errors the replicas logged, by message (an error fails the run). */
  logged: Record<string, number>;
  /** How far the clock was moved in the end. */
  clockMovedDays: number;
  durationMs: number;
}

interface DueCertificate {
  id: string;
  current_version: number;
  renew_at: string;
}

interface Tracked {
  kind: 'virtualServices' | 'ingressGateways';
  id: string;
  name: string;
  /** Descriptions the resource may have: one once a write was acknowledged. */
  descriptions: string[];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Three free ports of 9600–9699 (`MULTI_REPLICA_PORT_BASE` moves the range). Not ephemeral ports:
 * a killed replica's port must still be free when it starts again, and an ephemeral one may be
 * taken meanwhile by any outgoing connection of the machine.
 */
async function replicaPorts(): Promise<number[]> {
  const base = Number(process.env.MULTI_REPLICA_PORT_BASE ?? 9600);
  const start = Math.floor(Math.random() * 100);
  const ports: number[] = [];
  for (let k = 0; k < 100 && ports.length < 3; k += 1) {
    const port = base + ((start + k) % 100);
    if (await canListen(port)) ports.push(port);
  }
  if (ports.length < 3) throw new Error(`no three free ports in ${base}–${base + 99}`);
  return ports;
}

/** Starts `bff`; when it exits instead, the error says what it logged last. */
async function startOrSay(bff: Bff): Promise<void> {
  try {
    await bff.start();
  } catch (error) {
    const said = bff.log.slice(-20).join(' | ');
    throw new Error(`${(error as Error).message} (port ${bff.options.port}): ${said}`);
  }
}

/** `url` with another database name. */
function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

const SETUP_TOKEN = 'multi-replica-setup-token';

/** How big each mode is: resources seeded (one certificate each), writers, pacing. */
const SIZES = {
  short: {
    services: 360,
    gateways: 40,
    writers: 6,
    writeGapMs: 30,
    preJumpMs: 4000,
    rounds: 1,
    betweenRoundsMs: 2500,
  },
  full: {
    services: 1300,
    gateways: 150,
    writers: 8,
    writeGapMs: 20,
    preJumpMs: 10000,
    rounds: 3,
    betweenRoundsMs: 6000,
  },
};

export async function runMultiReplica(options: {
  url: string;
  full?: boolean;
  log?: (s: string) => void;
}): Promise<MultiReplicaReport> {
  const t0 = Date.now();
  const full = options.full === true;
  const size = full ? SIZES.full : SIZES.short;
  const log = options.log ?? (() => undefined);
  const failures: string[] = [];
  const check = (ok: boolean, text: string) => {
    if (!ok) failures.push(text);
  };

  // A database of its own, dropped at the end.
  const dbName = `meshdeck_replicas_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new PostgresDb(options.url);
  admin.exec(`CREATE DATABASE ${dbName}`);
  const url = withDatabase(options.url, dbName);
  let look: PostgresDb | undefined;
  const dir = tempDir('replicas');

  try {
    const offsetFile = join(dir, 'clock-offset');
    let offsetMs = 0;
    writeOffset(offsetFile, offsetMs);
    const replicas: Bff[] = [];
    for (const port of await replicaPorts()) {
      replicas.push(
        new Bff({
          port,
          // Bff derives its secret key from this: one key for all three, as PostgreSQL demands.
          dbPath: url,
          env: {
            MESHDECK_CLOCK_OFFSET_FILE: offsetFile,
            MESHDECK_SETUP_TOKEN: SETUP_TOKEN,
            MESHDECK_JOB_POLL_MS: '200',
            MESHDECK_JOB_LEASE_MS: '3000',
            // Two cores for three processes: one issuing thread each.
            MESHDECK_CERT_THREADS: '1',
          },
        }),
      );
    }
    // All three start at once (they migrate one after the other under the migration lock).
    await Promise.all(replicas.map((bff) => startOrSay(bff)));
    const pidsOf: number[][] = replicas.map((bff) => [bff.child!.pid!]);
    log(`3 replicas on ${dbName}: ports ${replicas.map((b) => b.options.port).join(', ')}`);
    look = new PostgresDb(url);
    const db = look;
    const count = (sql: string, ...params: unknown[]) =>
      Number(
        db
          .prepare(sql)
          .pluck()
          .get(...params) ?? 0,
      );

    // --- Traffic: round-robin over the replicas that are up, sent again elsewhere when a kill
    // takes the answer (same retry token, so a create is never made twice).
    const down = new Set<number>();
    let nextReplica = 0;
    const stats = {
      creates: 0,
      updates: 0,
      consoleUpdates: 0,
      lostAnswers: 0,
      serverErrors: 0,
      unavailable: 0,
    };
    const ackByReplica = [0, 0, 0];
    const unexpected: string[] = [];
    const pick = (): number => {
      for (let k = 0; k < 3; k += 1) {
        const i = nextReplica % 3;
        nextReplica += 1;
        if (!down.has(i)) return i;
      }
      return nextReplica % 3;
    };
    const send = async (
      what: string,
      request: (bff: Bff) => Promise<HttpResult>,
      deadline: number,
      first?: number,
    ): Promise<{ res: HttpResult; replica: number } | undefined> => {
      for (let attempt = 0; Date.now() < deadline; attempt += 1) {
        const replica = attempt === 0 && first !== undefined ? first : pick();
        let res: HttpResult;
        try {
          res = await request(replicas[replica]!);
        } catch {
          stats.lostAnswers += 1;
          await sleep(50);
          continue;
        }
        if (res.status === 503) {
          stats.unavailable += 1;
          await sleep(100);
          continue;
        }
        if (res.status >= 500) {
          stats.serverErrors += 1;
          unexpected.push(
            `${what} on replica ${replica}: ${res.status} ${JSON.stringify(res.body)}`,
          );
        }
        return { res, replica };
      }
      return undefined;
    };

    const session = await setUpSession(replicas[0]!);
    const consoleHeaders = { cookie: session.cookie, 'x-csrf-token': session.csrf };

    const meshId = await createMesh(replicas[0]!, 'replicas-mesh');
    const tracked: Tracked[] = [];
    const hardStop = Date.now() + (full ? 900_000 : 240_000);

    const create = async (
      kind: Tracked['kind'],
      name: string,
      first?: number,
    ): Promise<Tracked | undefined> => {
      const token = randomBytes(12).toString('hex');
      const body =
        kind === 'virtualServices'
          ? virtualServiceBody(meshId, name)
          : {
              compartmentId: COMPARTMENT,
              meshId,
              name,
              description: 'v0',
              hosts: [
                {
                  name: 'main',
                  hostnames: [`${name}.example.com`],
                  listeners: [{ protocol: 'HTTP', port: 8080 }],
                },
              ],
              mtls: { maximumValidity: 45 },
            };
      const sent = await send(
        `create ${name}`,
        (bff) =>
          call('POST', `${bff.oci}/${kind}`, { body, headers: { 'opc-retry-token': token } }),
        hardStop,
        first,
      );
      if (!sent) return undefined;
      if (sent.res.status !== 200) {
        unexpected.push(`create ${name}: ${sent.res.status} ${JSON.stringify(sent.res.body)}`);
        return undefined;
      }
      stats.creates += 1;
      ackByReplica[sent.replica]! += 1;
      const item: Tracked = {
        kind,
        id: String(field(sent.res.body, 'id')),
        name,
        descriptions: ['v0'],
      };
      tracked.push(item);
      return item;
    };

    /** An update of `item` (ACTIVE only): OCI face (if-match, retry token) or console /api. */
    const update = async (item: Tracked, viaConsole: boolean): Promise<void> => {
      const read = await send(
        `read ${item.name}`,
        (bff) => call('GET', `${bff.oci}/${item.kind}/${item.id}`),
        hardStop,
      );
      if (!read || read.res.status !== 200) return;
      if (field(read.res.body, 'lifecycleState') !== 'ACTIVE') return;
      const etag = read.res.headers.get('etag') ?? '';
      const description = `u-${randomBytes(4).toString('hex')}`;
      const before = item.descriptions;
      // Until an answer arrives the write may or may not be applied.
      item.descriptions = [...before, description];
      const token = randomBytes(12).toString('hex');
      const sent = await send(
        `update ${item.name}`,
        (bff) =>
          viaConsole
            ? call('PUT', `${bff.baseUrl}/api/virtual-services/${item.id}`, {
                body: { description },
                headers: consoleHeaders,
              })
            : call('PUT', `${bff.oci}/${item.kind}/${item.id}`, {
                body: { description },
                headers: { 'if-match': etag, 'opc-retry-token': token },
              }),
        hardStop,
      );
      if (!sent) return;
      const { res } = sent;
      if (res.status === 200 || res.status === 202) {
        stats.updates += 1;
        if (viaConsole) stats.consoleUpdates += 1;
        ackByReplica[sent.replica]! += 1;
        item.descriptions = [description];
        return;
      }
      // Another write got there first (a lost answer's write that was applied): either may stand.
      if (res.status === 409 || res.status === 412) return;
      item.descriptions = before;
      unexpected.push(`update ${item.name}: ${res.status} ${JSON.stringify(res.body)}`);
    };

    // --- 1. Seed: virtual services and ingress gateways, each with its leaf certificate.
    let seedNext = 0;
    const seedTotal = size.services + size.gateways;
    const seeder = async () => {
      for (;;) {
        const i = seedNext;
        seedNext += 1;
        if (i >= seedTotal) return;
        const gateway = i % Math.ceil(seedTotal / size.gateways) === 0;
        await create(gateway ? 'ingressGateways' : 'virtualServices', `seed-${i}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, () => seeder()));
    log(`seeded ${tracked.length} resources in ${Math.round((Date.now() - t0) / 1000)} s`);

    // --- 2. Writers: creates on the OCI face, updates on both faces, round-robin over replicas.
    let writing = true;
    let paused = false;
    let inFlight = 0;
    const writer = async (w: number) => {
      const mine: Tracked[] = [];
      for (let n = 0; writing && Date.now() < hardStop; n += 1) {
        while (paused && writing) await sleep(20);
        if (!writing) return;
        inFlight += 1;
        try {
          if (n % 2 === 0 || mine.length < 2) {
            const item = await create('virtualServices', `w${w}-${n}`);
            if (item) mine.push(item);
          } else {
            // One of its own older ones (each writer updates only its own: no lost-update races).
            const item = mine[Math.floor(Math.random() * (mine.length - 1))]!;
            await update(item, n % 4 === 1);
          }
        } finally {
          inFlight -= 1;
        }
        await sleep(size.writeGapMs);
      }
    };
    const writers = Array.from({ length: size.writers }, (_, w) => writer(w));
    await sleep(size.preJumpMs);

    // --- 3. Rounds: pause the writes, let everything settle, note the due certificates, move the
    // clock past them, resume the writes, kill one replica in the middle of the renewal sweep, wait
    // for the other two to finish it, start the killed one again.
    const inProgress = (clockIso: string) =>
      count(
        `SELECT (SELECT COUNT(*) FROM virtual_services
                  WHERE lifecycle_state IN ('CREATING','UPDATING','DELETING'))
              + (SELECT COUNT(*) FROM ingress_gateways
                  WHERE lifecycle_state IN ('CREATING','UPDATING','DELETING'))
              + (SELECT COUNT(*) FROM certificates
                  WHERE status NOT IN ('RETIRED', 'EXTERNAL') AND current_version IS NULL)
              + (SELECT COUNT(*) FROM jobs WHERE status = 'RUNNING')
              + (SELECT COUNT(*) FROM jobs WHERE status = 'PENDING' AND run_at <= ?)`,
        clockIso,
      );
    const clockNow = () => new Date(Date.now() + offsetMs).toISOString();
    const replicaOfOwner = (owner: string): number => {
      const pid = Number(owner.split(':').at(-2));
      return pidsOf.findIndex((pids) => pids.includes(pid));
    };
    const snapshots: DueCertificate[][] = [];
    const kills: KillRecord[] = [];
    let firstJumpRunId = 0;
    for (let round = 0; round < size.rounds; round += 1) {
      if (round > 0) await sleep(size.betweenRoundsMs);
      paused = true;
      await waitFor('writes in flight', () => (inFlight === 0 ? true : undefined), 60_000, 20);
      await waitFor(
        'every resource settled, every certificate issued, no job running',
        () => (inProgress(clockNow()) === 0 ? true : undefined),
        120_000,
        200,
      );
      const due = db
        .prepare(
          `SELECT id, current_version, renew_at FROM certificates
           WHERE status = 'ACTIVE' ORDER BY id`,
        )
        .all() as DueCertificate[];
      snapshots.push(due);
      const latestRenewAt = Math.max(...due.map((d) => Date.parse(d.renew_at)));
      // Past the latest renewal time by a day (whole days): every certificate is due at once.
      offsetMs = Math.ceil((latestRenewAt - Date.now() + DAY_MS) / DAY_MS) * DAY_MS;
      if (round === 0) firstJumpRunId = count(`SELECT COALESCE(MAX(id), 0) FROM job_runs`);
      writeOffset(offsetFile, offsetMs);
      const jumpAt = Date.now();
      log(
        `round ${round + 1}: ${due.length} certificates due; clock +${offsetMs / DAY_MS} days; ${stats.creates + stats.updates} writes so far`,
      );
      // The replicas re-read the offset every 100 ms: resources created after this get leaves
      // of the new clock, which are not due.
      await sleep(300);
      paused = false;

      // The victim: the replica holding the most leases on renewals it has not committed yet
      // (one not killed before, if it holds any), once 35–65 % of the sweep is done.
      const dueSet = JSON.stringify(due.map((d) => d.id));
      const dueVersions = JSON.stringify(
        Object.fromEntries(due.map((d) => [d.id, d.current_version])),
      );
      const renewedSoFar = () =>
        count(
          `SELECT COUNT(*) FROM certificates
           WHERE id IN (SELECT value FROM json_each(?))
             AND current_version > CAST(CAST(? AS jsonb) ->> id AS integer)`,
          dueSet,
          dueVersions,
        );
      /**
       * Per replica: renewals it holds a lease on, and those of them not committed yet (a batch's
       * renewals are committed in groups, so a lease may outlive its renewal's commit a while).
       */
      const leasesNow = (): { leased: number[]; unfinished: number[] } => {
        const rows = db
          .prepare(
            `SELECT j.lease_owner, COUNT(*) AS leased,
               SUM(CASE WHEN c.current_version = CAST(CAST(? AS jsonb) ->> c.id AS integer)
                 THEN 1 ELSE 0 END) AS unfinished
             FROM jobs j JOIN certificates c ON c.id = j.subject_id
             WHERE j.status = 'RUNNING' AND j.type = 'certificate'
               AND c.id IN (SELECT value FROM json_each(?))
             GROUP BY j.lease_owner`,
          )
          .all(dueVersions, dueSet) as {
          lease_owner: string;
          leased: number;
          unfinished: number;
        }[];
        const leased = [0, 0, 0];
        const unfinished = [0, 0, 0];
        for (const row of rows) {
          const r = replicaOfOwner(row.lease_owner);
          if (r < 0) continue;
          leased[r]! += row.leased;
          unfinished[r]! += row.unfinished;
        }
        return { leased, unfinished };
      };
      const killAt = Math.floor(due.length * (0.35 + Math.random() * 0.3));
      let victim = 0;
      let victimLeases = 0;
      let victimUnfinished = 0;
      let renewedBeforeKill = 0;
      await waitFor(
        'the sweep to be under way with renewals in progress',
        () => {
          const renewed = renewedSoFar();
          if (renewed < killAt) return undefined;
          const { leased, unfinished: held } = leasesNow();
          const killedBefore = new Set(kills.map((k) => k.replica));
          const fresh = [0, 1, 2].filter((r) => !killedBefore.has(r) && held[r]! > 0);
          const candidates = fresh.length > 0 ? fresh : [0, 1, 2].filter((r) => held[r]! > 0);
          // The sweep ended between two looks: the kill lands late (and a check says so).
          if (candidates.length === 0 && renewed < due.length) return undefined;
          victim = candidates.sort((x, y) => held[y]! - held[x]!)[0] ?? round % 3;
          victimLeases = leased[victim]!;
          victimUnfinished = held[victim]!;
          renewedBeforeKill = renewed;
          return true;
        },
        120_000,
        10,
      );
      // A few creates sent to the victim just before the kill: the kill takes some of their
      // answers, and they are sent again with the same retry token to another replica.
      const lostBefore = stats.lostAnswers;
      const atKill = Array.from({ length: 6 }, (_, k) =>
        create('virtualServices', `at-kill-${round}-${k}`, victim),
      );
      await sleep(2);
      down.add(victim);
      const victimPid = replicas[victim]!.child!.pid!;
      await replicas[victim]!.kill9();
      log(
        `  killed replica ${victim} (pid ${victimPid}) holding leases on ${victimLeases} renewals, ${victimUnfinished} not committed; ${renewedBeforeKill}/${due.length} renewed`,
      );
      await Promise.all(atKill);

      await waitFor(
        'every due certificate renewed',
        () => (renewedSoFar() >= due.length ? true : undefined),
        full ? 300_000 : 90_000,
        100,
      ).catch(() => undefined);
      const sweepMs = Date.now() - jumpAt;
      log(`  sweep done in ${sweepMs} ms (${renewedSoFar()}/${due.length}); restarting it`);
      await startOrSay(replicas[victim]!);
      pidsOf[victim]!.push(replicas[victim]!.child!.pid!);
      down.delete(victim);
      kills.push({
        round: round + 1,
        replica: victim,
        pid: victimPid,
        dueCertificates: due.length,
        renewedBeforeKill,
        leasedRenewalsAtKill: victimLeases,
        unfinishedRenewalsAtKill: victimUnfinished,
        answersLost: stats.lostAnswers - lostBefore,
        sweepMs,
        restarted: 'once the other two had finished the sweep',
      });
    }
    // Writes reach the restarted replica too for a while; then they stop.
    await sleep(size.betweenRoundsMs);
    writing = false;
    await Promise.all(writers);

    // --- 4. Settle: nothing mid-write, no job due now left unclaimed, then a while longer (a
    // second renewal would show as one version too many).
    const settled = await waitFor(
      'every resource and job settled',
      () => (inProgress(clockNow()) === 0 ? true : undefined),
      90_000,
      250,
    ).catch(() => false);
    check(settled === true, 'resources or jobs were still in progress 90 s after the writes');
    await sleep(1500);

    // --- 5. Judge. Each certificate must end with one version more than its first, per round it
    // was due in, and each round's new version must answer that round's due time.
    const versionRows = db
      .prepare(`SELECT certificate_id, version, due_at FROM certificate_versions`)
      .all() as { certificate_id: string; version: number; due_at: string }[];
    const versionsOf = new Map<string, Map<number, string>>();
    for (const v of versionRows) {
      const map = versionsOf.get(v.certificate_id) ?? new Map<number, string>();
      map.set(v.version, v.due_at);
      versionsOf.set(v.certificate_id, map);
    }
    const timesDue = new Map<string, number>();
    let renewedOnce = 0;
    let missedRenewals = 0;
    let wrongDueAt = 0;
    for (const due of snapshots) {
      for (const d of due) {
        timesDue.set(d.id, (timesDue.get(d.id) ?? 0) + 1);
        const next = versionsOf.get(d.id)?.get(d.current_version + 1);
        if (next === undefined) missedRenewals += 1;
        else if (next !== d.renew_at) wrongDueAt += 1;
        else renewedOnce += 1;
      }
    }
    let duplicateRenewals = 0;
    for (const [id, versions] of versionsOf) {
      duplicateRenewals += Math.max(0, versions.size - 1 - (timesDue.get(id) ?? 0));
    }
    const dueCertificates = snapshots.reduce((total, due) => total + due.length, 0);
    const renewalVersions = versionRows.filter((v) => v.version > 1).length;
    const certificates = count(`SELECT COUNT(*) FROM certificates`);
    const duplicateSerials = count(
      `SELECT COUNT(*) FROM (SELECT serial_number FROM certificate_versions
         GROUP BY serial_number HAVING COUNT(*) > 1) AS d`,
    );

    // Every acknowledged write, read from the database itself.
    let lostWrites = 0;
    const lostExamples: string[] = [];
    for (const kind of ['virtualServices', 'ingressGateways'] as const) {
      const table = kind === 'virtualServices' ? 'virtual_services' : 'ingress_gateways';
      const rows = db
        .prepare(
          `SELECT id, lifecycle_state, CAST(spec AS jsonb) ->> 'description' AS description
           FROM ${table}`,
        )
        .all() as { id: string; lifecycle_state: string; description: string | null }[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const item of tracked.filter((t) => t.kind === kind)) {
        const row = byId.get(item.id);
        const ok =
          row !== undefined &&
          row.lifecycle_state === 'ACTIVE' &&
          item.descriptions.includes(String(row.description));
        if (!ok) {
          lostWrites += 1;
          if (lostExamples.length < 5) {
            lostExamples.push(
              `${item.name}: expected ${item.descriptions.join('|')}, found ${row ? `${row.lifecycle_state} ${String(row.description)}` : 'nothing'}`,
            );
          }
        }
      }
    }
    // Nothing is deleted here, so every row is one acknowledged create: a create applied twice
    // (a retry token another replica did not honour) would show as one row too many.
    const resourceRows = count(
      `SELECT (SELECT COUNT(*) FROM virtual_services) + (SELECT COUNT(*) FROM ingress_gateways)`,
    );

    const victimPids = new Set(kills.map((k) => k.pid));
    const deadOwners = JSON.stringify(
      db
        .prepare(`SELECT DISTINCT runner FROM job_runs`)
        .pluck()
        .all()
        .map(String)
        .filter((runner) => victimPids.has(Number(runner.split(':').at(-2)))),
    );
    const stuckJobs =
      count(`SELECT COUNT(*) FROM jobs WHERE status = 'RUNNING' AND lease_until < ?`, clockNow()) +
      count(
        `SELECT COUNT(*) FROM jobs WHERE status = 'RUNNING'
         AND lease_owner IN (SELECT value FROM json_each(?))`,
        deadOwners,
      ) +
      count(
        `SELECT COUNT(*) FROM job_runs WHERE outcome = 'RUNNING'
         AND runner IN (SELECT value FROM json_each(?))`,
        deadOwners,
      );
    const failedJobs = count(`SELECT COUNT(*) FROM jobs WHERE status = 'FAILED'`);

    const runs = db
      .prepare(
        `SELECT runner, job_type, outcome, COUNT(*) AS n FROM job_runs
         GROUP BY runner, job_type, outcome`,
      )
      .all() as { runner: string; job_type: string; outcome: string; n: number }[];
    const renewalRuns = db
      .prepare(
        `SELECT runner, COUNT(*) AS n FROM job_runs WHERE id > ? AND job_type = 'certificate'
         AND note LIKE 'renewed:%' AND outcome IN ('RESCHEDULED', 'SUCCEEDED') GROUP BY runner`,
      )
      .all(firstJumpRunId) as { runner: string; n: number }[];
    const jobsByReplica: Record<string, ReplicaJobs> = {};
    for (let r = 0; r < 3; r += 1) {
      const mine = (runner: string) => replicaOfOwner(runner) === r;
      const sum = (filter: (row: (typeof runs)[number]) => boolean) =>
        runs.filter((row) => mine(row.runner) && filter(row)).reduce((a, row) => a + row.n, 0);
      jobsByReplica[`replica-${r}`] = {
        pids: pidsOf[r]!,
        runs: sum(() => true),
        renewals: renewalRuns.filter((row) => mine(row.runner)).reduce((a, row) => a + row.n, 0),
        lifecycleSteps: sum(
          (row) =>
            !row.job_type.startsWith('certificate') &&
            ['RESCHEDULED', 'SUCCEEDED'].includes(row.outcome),
        ),
        abandoned: sum((row) => row.outcome === 'ABANDONED'),
        leaseLost: sum((row) => row.outcome === 'LEASE_LOST'),
        acknowledgedWrites: ackByReplica[r]!,
      };
    }
    const renewalsByReplica = Object.values(jobsByReplica).map((j) => j.renewals);
    const renewalsCounted = renewalsByReplica.reduce((a, n) => a + n, 0);
    // A batch's renewals are committed in groups and its runs settled after: a renewal a victim
    // committed before its kill without settling the run is a version no run reports (that run
    // is ABANDONED; the one taking over finds the renewal done and only reschedules the job).
    const committedNotSettled = renewalVersions - renewalsCounted;

    const runsByOutcome: Record<string, number> = {};
    for (const row of runs) runsByOutcome[row.outcome] = (runsByOutcome[row.outcome] ?? 0) + row.n;

    // Stop the three; a clean stop of each is a check too.
    const stopCodes = await Promise.all(replicas.map((bff) => bff.stop()));
    // What the replicas logged at warn and error (one JSON line each), by message.
    const logged: Record<string, number> = {};
    const errorLines: string[] = [];
    for (const bff of replicas) {
      for (const line of bff.log) {
        let entry: { level?: string; msg?: string };
        try {
          entry = JSON.parse(line) as { level?: string; msg?: string };
        } catch {
          continue;
        }
        if (entry.level !== 'warn' && entry.level !== 'error') continue;
        if (entry.msg?.startsWith('TEST ONLY')) continue;
        const key = `${entry.level}: ${entry.msg ?? ''}`;
        logged[key] = (logged[key] ?? 0) + 1;
        if (entry.level === 'error' && errorLines.length < 3) errorLines.push(line.slice(0, 300));
      }
    }

    const acknowledged = stats.creates + stats.updates;
    check(
      (snapshots[0]?.length ?? 0) >= (full ? 1500 : 400),
      `only ${snapshots[0]?.length ?? 0} certificates due in the first round`,
    );
    check(missedRenewals === 0, `${missedRenewals} due renewals did not happen`);
    check(duplicateRenewals === 0, `${duplicateRenewals} renewals issued more than once`);
    check(wrongDueAt === 0, `${wrongDueAt} renewals answer another due time`);
    check(duplicateSerials === 0, `${duplicateSerials} serials issued twice`);
    check(
      committedNotSettled >= 0 &&
        committedNotSettled <= kills.reduce((a, k) => a + k.leasedRenewalsAtKill, 0),
      `the runs report ${renewalsCounted} renewals, the database holds ${renewalVersions}`,
    );
    check(lostWrites === 0, `${lostWrites} acknowledged writes lost: ${lostExamples.join('; ')}`);
    check(
      resourceRows === stats.creates,
      `${resourceRows} virtual services and gateways stored for ${stats.creates} acknowledged creates`,
    );
    check(stuckJobs === 0, `${stuckJobs} jobs or runs left RUNNING on a dead lease`);
    check(failedJobs === 0, `${failedJobs} jobs FAILED`);
    check(
      stats.serverErrors === 0 && unexpected.length === 0,
      `unexpected answers: ${unexpected.slice(0, 5).join('; ')}`,
    );
    for (const kill of kills) {
      check(
        kill.unfinishedRenewalsAtKill > 0,
        `round ${kill.round}: the kill landed when the victim held no unfinished renewal`,
      );
      check(
        (jobsByReplica[`replica-${kill.replica}`]?.abandoned ?? 0) > 0,
        `round ${kill.round}: no run of the killed replica was taken over by another`,
      );
    }
    check(
      Object.values(jobsByReplica).every((j) => j.runs > 0 && j.acknowledgedWrites > 0),
      'a replica ran no job or answered no write',
    );
    check(
      renewalsByReplica.filter((n) => n > 0).length >= 2 &&
        Math.max(...renewalsByReplica) < 0.8 * renewalsCounted,
      `the renewals were not shared: ${renewalsByReplica.join(', ')}`,
    );
    check(errorLines.length === 0, `the replicas logged errors: ${errorLines.join(' | ')}`);
    check(
      stopCodes.every((code) => code === 0),
      `exit codes on SIGTERM: ${stopCodes.join(', ')}`,
    );

    return {
      mode: full ? 'full' : 'short',
      date: new Date().toISOString(),
      node: process.version,
      pass: failures.length === 0,
      failures,
      replicas: replicas.length,
      rounds: size.rounds,
      killed: kills,
      acknowledgedWrites: acknowledged,
      acknowledgedCreates: stats.creates,
      acknowledgedUpdates: stats.updates,
      acknowledgedConsoleUpdates: stats.consoleUpdates,
      answersLostToKills: stats.lostAnswers,
      lostWrites,
      certificates,
      dueCertificates,
      renewedOnce,
      duplicateRenewals,
      missedRenewals,
      duplicateSerials,
      committedNotSettled,
      stuckJobs,
      failedJobs,
      serverErrors: stats.serverErrors,
      unavailable503: stats.unavailable,
      jobsByReplica,
      runsByOutcome,
      logged,
      clockMovedDays: offsetMs / DAY_MS,
      durationMs: Date.now() - t0,
    };
  } finally {
    await killAll();
    look?.close();
    rmSync(dir, { recursive: true, force: true });
    try {
      admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } finally {
      admin.close();
    }
  }
}

/** The figures block of docs/reliability.md (between its multi-replica markers), from a full run. */
async function writeSummary(report: MultiReplicaReport): Promise<void> {
  const docPath = join(repoRoot, 'docs/reliability.md');
  const doc = readFileSync(docPath, 'utf8');
  const begin = '<!-- multi-replica:begin -->';
  const end = '<!-- multi-replica:end -->';
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) return;
  const kills = report.killed
    .map(
      (k) =>
        `| ${k.round} | ${k.dueCertificates} | replica ${k.replica} | ${k.renewedBeforeKill} | ${k.leasedRenewalsAtKill} (${k.unfinishedRenewalsAtKill}) | ${k.answersLost} | ${(k.sweepMs / 1000).toFixed(1)} |`,
    )
    .join('\n');
  const replicas = Object.entries(report.jobsByReplica)
    .map(
      ([name, j]) =>
        `| ${name} | ${j.pids.length} | ${j.acknowledgedWrites} | ${j.runs} | ${j.renewals} | ${j.lifecycleSteps} | ${j.abandoned} | ${j.leaseLost} |`,
    )
    .join('\n');
  const block = `${begin}
Last full run: ${report.date.slice(0, 16).replace('T', ' ')} UTC, Node ${report.node}, ${Math.round(report.durationMs / 1000)} s, **${report.pass ? 'pass' : 'FAILED'}** (\`docs/multi-replica-report.json\`).

| figure | value |
| --- | --- |
| replicas | ${report.replicas} |
| clock moves, one kill -9 mid-sweep each | ${report.rounds} (clock moved ${report.clockMovedDays} days in all) |
| acknowledged writes (creates / updates, of which console) | ${report.acknowledgedWrites} (${report.acknowledgedCreates} / ${report.acknowledgedUpdates}, ${report.acknowledgedConsoleUpdates}) |
| answers lost to kills (sent again elsewhere) | ${report.answersLostToKills} |
| lost writes | ${report.lostWrites} |
| certificates | ${report.certificates} |
| due renewals (summed over the rounds) | ${report.dueCertificates} |
| renewed exactly once | ${report.renewedOnce} |
| renewals committed by a killed replica before it settled their runs | ${report.committedNotSettled} |
| duplicate renewals | ${report.duplicateRenewals} |
| missed renewals | ${report.missedRenewals} |
| duplicate serials | ${report.duplicateSerials} |
| jobs stuck on a dead lease | ${report.stuckJobs} |
| jobs FAILED | ${report.failedJobs} |
| 5xx (other than 503) / 503 | ${report.serverErrors} / ${report.unavailable503} |

| round | due | killed | renewed before the kill | renewals it held leases on (not committed yet) | answers lost | sweep (s) |
| --- | --- | --- | --- | --- | --- | --- |
${kills}

| replica | processes | writes answered | job runs | renewals | lifecycle steps | runs taken over after its kill | lease lost |
| --- | --- | --- | --- | --- | --- | --- | --- |
${replicas}
${end}`;
  const next = doc.slice(0, a) + block + doc.slice(b + end.length);
  writeFileSync(
    docPath,
    await format(next, { parser: 'markdown', printWidth: 100, proseWrap: 'preserve' }),
  );
  process.stdout.write(`summary: ${docPath}\n`);
}

async function setUpSession(bff: Bff): Promise<{ cookie: string; csrf: string }> {
  const res = await call('POST', `${bff.baseUrl}/api/setup`, {
    body: { token: SETUP_TOKEN, name: 'replicas', password: 'multi-replica-harness-password' },
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = field(res.body, 'csrfToken');
  if (res.status !== 201 || !cookie || typeof csrf !== 'string')
    throw new Error(`setup answered ${res.status}`);
  return { cookie, csrf };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const full = process.argv.includes('--full');
  const given = process.env.MESHDECK_TEST_POSTGRES || undefined;
  const cluster = given ? undefined : await startPostgresCluster();
  let report: MultiReplicaReport;
  try {
    report = await runMultiReplica({
      url: given ?? cluster!.url,
      full,
      log: (s) => process.stdout.write(`${s}\n`),
    });
  } finally {
    cluster?.stop();
  }
  const json = await format(JSON.stringify(report, null, 2), { parser: 'json', printWidth: 100 });
  const reportPath = full
    ? join(repoRoot, 'docs/multi-replica-report.json')
    : join(repoRoot, 'test-results/multi-replica-report.json');
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, json);
  const renewalsByReplica = Object.values(report.jobsByReplica).map((j) => j.renewals);
  process.stdout.write(
    [
      '',
      `${report.pass ? 'PASS' : 'FAIL'}: ${report.replicas} replicas, ${report.killed.length} kill -9 mid-sweep (replica ${report.killed.map((k) => k.replica).join(', ')})`,
      `  ${report.acknowledgedWrites} acknowledged writes, ${report.lostWrites} lost`,
      `  ${report.dueCertificates} due renewals: ${report.renewedOnce} renewed once, ${report.duplicateRenewals} duplicates, ${report.missedRenewals} missed`,
      `  renewals by replica ${renewalsByReplica.join(' / ')}; ${report.stuckJobs} jobs stuck; ${Math.round(report.durationMs / 1000)} s`,
      `report: ${reportPath}`,
      '',
    ].join('\n'),
  );
  for (const failure of report.failures) process.stdout.write(`  ${failure}\n`);
  if (full) await writeSummary(report);
  process.exit(report.pass ? 0 : 1);
}
