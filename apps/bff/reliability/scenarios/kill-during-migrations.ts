/**
 * kill -9 during staged mTLS migrations: meshes whose minimum and services are DISABLED are
 * migrated to STRICT (two stages each, 30 s of propagation apart, the clock moved by the offset
 * file), the process is killed at random instants, and after the restarts every migration has
 * SUCCEEDED, every service and mesh is STRICT, and the audit records each planned mode change
 * exactly once (a stage applied twice would show as a second event).
 */
import { join } from 'node:path';
import {
  Bff,
  call,
  checker,
  COMPARTMENT,
  field,
  inspect,
  integrityCheck,
  jobsResumed,
  sleep,
  tempDir,
  waitActive,
  waitFor,
  whileDown,
  writeOffset,
  type HttpResult,
  type Scenario,
} from '../lib.ts';

const SETUP_TOKEN = 'reliability-setup-token';
const PASSWORD = 'reliability-harness-password';

/** A console session: cookie and CSRF token, kept across restarts (sessions live in the db). */
interface Session {
  cookie: string;
  csrf: string;
}

async function setUp(bff: Bff): Promise<Session> {
  const res = await fetch(`${bff.baseUrl}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: SETUP_TOKEN, name: 'reliability', password: PASSWORD }),
  });
  const body = (await res.json()) as { csrfToken?: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (res.status !== 201 || !cookie || !body.csrfToken)
    throw new Error(`setup answered ${res.status}`);
  return { cookie, csrf: body.csrfToken };
}

function api(bff: Bff, session: Session, method: string, path: string, body?: unknown) {
  return call(method, `${bff.baseUrl}/api${path}`, {
    ...(body !== undefined ? { body } : {}),
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
  });
}

interface ModeChange {
  id: string;
  from: string | null;
  to: string | null;
}

const key = (c: ModeChange) => `${c.id} ${String(c.from)}→${String(c.to)}`;

/** Mode changes the audit recorded (successful UPDATEs whose mode differs before and after). */
function auditedModeChanges(dbPath: string): ModeChange[] {
  return inspect(dbPath, (db) => {
    const rows = db
      .prepare(
        `SELECT kind, resource_id, before_json, after_json FROM audit_events
         WHERE action = 'UPDATE' AND outcome = 'SUCCEEDED' AND kind IN ('Mesh', 'VirtualService')
         ORDER BY id`,
      )
      .all() as { kind: string; resource_id: string; before_json: string; after_json: string }[];
    const changes: ModeChange[] = [];
    for (const row of rows) {
      const before = JSON.parse(row.before_json ?? 'null') as Record<string, unknown> | null;
      const after = JSON.parse(row.after_json ?? 'null') as Record<string, unknown> | null;
      if (!before || !after) continue;
      const mode = (r: Record<string, unknown>) =>
        row.kind === 'Mesh'
          ? ((r.mtls as { minimum?: string } | undefined)?.minimum ?? null)
          : ((r.declaredMode as string | null | undefined) ?? null);
      if (mode(before) !== mode(after))
        changes.push({ id: row.resource_id, from: mode(before), to: mode(after) });
    }
    return changes;
  });
}

export const killDuringMigrations: Scenario = async (ctx) => {
  const { failures, check } = checker();
  const dir = tempDir('migrate');
  const dbPath = join(dir, 'meshdeck.db');
  const offsetFile = join(dir, 'clock-offset');
  let offset = 0;
  writeOffset(offsetFile, offset);
  const bff = new Bff({
    port: ctx.port(),
    dbPath,
    env: { MESHDECK_CLOCK_OFFSET_FILE: offsetFile, MESHDECK_SETUP_TOKEN: SETUP_TOKEN },
  });
  await bff.start();
  const session = await setUp(bff);

  const meshCount = ctx.full ? 4 : 2;
  const servicesPerMesh = 3;
  const meshIds: string[] = [];
  const serviceIds: string[] = [];
  for (let m = 0; m < meshCount; m += 1) {
    const res = await call('POST', `${bff.oci}/meshes`, {
      body: {
        compartmentId: COMPARTMENT,
        displayName: `migrate-${m}`,
        certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..reliability' }],
        mtls: { minimum: 'DISABLED' },
      },
    });
    if (res.status !== 200) throw new Error(`mesh create answered ${res.status}`);
    const meshId = String(field(res.body, 'id'));
    await waitActive(bff, 'meshes', meshId);
    meshIds.push(meshId);
    for (let s = 0; s < servicesPerMesh; s += 1) {
      const vs = await call('POST', `${bff.oci}/virtualServices`, {
        body: {
          compartmentId: COMPARTMENT,
          meshId,
          name: `m${m}-svc-${s}`,
          hosts: [`m${m}-svc-${s}.local`],
          mtls: { mode: 'DISABLED' },
        },
      });
      if (vs.status !== 200) throw new Error(`virtual service create answered ${vs.status}`);
      serviceIds.push(String(field(vs.body, 'id')));
    }
  }
  for (const id of serviceIds) await waitActive(bff, 'virtualServices', id);

  // The 30 s rule since each resource's creation: move the clock past it first.
  offset += 31_000;
  writeOffset(offsetFile, offset);
  await sleep(300);

  const migrationIds: string[] = [];
  for (const meshId of meshIds) {
    const res = await api(bff, session, 'POST', '/migrations', {
      target: { kind: 'mesh', meshId, minimum: 'STRICT', raiseBlockingServices: true },
    });
    if (res.status !== 202)
      throw new Error(`migration start answered ${res.status}: ${JSON.stringify(res.body)}`);
    migrationIds.push(String(field(res.body, 'id')));
  }

  // The plans: every mode change the migrations must make, once each.
  const planned: ModeChange[] = [];
  let stageCount = 0;
  for (const id of migrationIds) {
    const view = await api(bff, session, 'GET', `/migrations/${id}`);
    const stages = (field(view.body, 'stages') ?? []) as { stage: { changes: ModeChange[] } }[];
    stageCount += stages.length;
    for (const s of stages) for (const c of s.stage.changes) planned.push(c);
  }

  // Move the clock a stage on every ~0.6 s; kill at random instants in between.
  const targetKills = ctx.full ? 6 : 2;
  let kills = 0;
  const views = async (): Promise<HttpResult[]> =>
    Promise.all(migrationIds.map((id) => api(bff, session, 'GET', `/migrations/${id}`)));
  const finished = (all: HttpResult[]) =>
    all.every((v) => ['SUCCEEDED', 'FAILED', 'CANCELED'].includes(String(field(v.body, 'status'))));
  const until = Date.now() + 120_000;
  for (;;) {
    offset += 31_000;
    writeOffset(offsetFile, offset);
    await sleep(200 + Math.floor(Math.random() * 500));
    if (kills < targetKills) {
      await bff.kill9();
      kills += 1;
      await bff.start();
      continue;
    }
    const all = await whileDown(views).catch(() => []);
    if (all.length === migrationIds.length && finished(all)) break;
    if (Date.now() > until) break;
  }
  const final = await waitFor('the migrations to finish', async () => {
    const all = await views();
    return finished(all) ? all : undefined;
  }).catch(() => views());

  const statuses = final.map((v) => String(field(v.body, 'status')));
  const notSucceeded = statuses.filter((s) => s !== 'SUCCEEDED').length;
  let notStrict = 0;
  for (const id of serviceIds) {
    const res = await call('GET', `${bff.oci}/virtualServices/${id}`);
    if ((field(res.body, 'mtls') as { mode?: string } | undefined)?.mode !== 'STRICT')
      notStrict += 1;
  }
  for (const id of meshIds) {
    const res = await call('GET', `${bff.oci}/meshes/${id}`);
    if ((field(res.body, 'mtls') as { minimum?: string } | undefined)?.minimum !== 'STRICT')
      notStrict += 1;
  }

  const audited = auditedModeChanges(dbPath);
  const seen = new Map<string, number>();
  for (const c of audited) seen.set(key(c), (seen.get(key(c)) ?? 0) + 1);
  const plannedKeys = new Set(planned.map(key));
  const missing = [...plannedKeys].filter((k) => !seen.has(k));
  const twice = [...seen.entries()].filter(([, n]) => n > 1);
  const unplanned = [...seen.keys()].filter((k) => !plannedKeys.has(k));

  const stopCode = await bff.stop();
  const integrity = integrityCheck(dbPath);
  const resumed = inspect(dbPath, jobsResumed);

  check(planned.length > 0, 'the migrations planned no mode change');
  check(notSucceeded === 0, `migrations ended ${statuses.join(', ')} (every one must SUCCEED)`);
  check(notStrict === 0, `${notStrict} services or meshes are not STRICT at the end`);
  check(missing.length === 0, `mode changes missing from the audit: ${missing.join('; ')}`);
  check(
    twice.length === 0,
    `mode changes in the audit more than once: ${twice.map(([k, n]) => `${k} ×${n}`).join('; ')}`,
  );
  check(unplanned.length === 0, `mode changes not in any plan: ${unplanned.join('; ')}`);
  check(integrity === 'ok', `integrity_check: ${integrity}`);
  check(stopCode === 0, `the BFF exited with ${stopCode} on SIGTERM`);
  return {
    pass: failures.length === 0,
    failures,
    figures: {
      kills,
      migrations: migrationIds.length,
      stages: stageCount,
      plannedModeChanges: planned.length,
      auditedModeChanges: audited.length,
      lostWrites: missing.length,
      duplicateExecutions: twice.reduce((n, [, count]) => n + count - 1, 0),
      jobsResumed: resumed,
      integrityCheck: integrity,
    },
  };
};
