import { describe, expect, it } from 'vitest';
import {
  allow,
  COMPARTMENT_ID,
  createAccessPolicy,
  createIngressGateway,
  createIngressRouteTable,
  createMesh,
  createTestApp,
  createVirtualService,
  ingressRoute,
  vsTarget,
  type TestApp,
} from '../testing/test-app.ts';

type Body = Record<string, unknown>;
interface Edge {
  source: string;
  target: string;
  state: string;
}

/**
 * The sandbox mesh of the walk: minimum DISABLED, `web` inherits, `api` declares DISABLED, `db`
 * declares PERMISSIVE, everything may call everything, and an ingress gateway routes to `web`.
 */
async function sandbox(t: TestApp) {
  const mesh = await createMesh(t, 'sandbox-mesh', 'DISABLED');
  const web = await createVirtualService(t, mesh.id, 'web');
  const api = await createVirtualService(t, mesh.id, 'api', 'DISABLED');
  const db = await createVirtualService(t, mesh.id, 'db', 'PERMISSIVE');
  const gw = await createIngressGateway(t, mesh.id, 'edge-gw');
  await createIngressRouteTable(t, gw.id, 'edge-routes', [ingressRoute('/', web.id)]);
  await createAccessPolicy(t, mesh.id, 'open', [
    allow({ type: 'ALL_VIRTUAL_SERVICES' }, { type: 'ALL_VIRTUAL_SERVICES' }),
    allow({ type: 'INGRESS_GATEWAY', ingressGatewayId: gw.id }, vsTarget(web.id)),
  ]);
  // Creates are not changes, and nothing has changed for a while.
  t.clock.advance(60_000);
  return { mesh, web, api, db, gw };
}

async function modes(t: TestApp, meshId: string) {
  const view = await t.http.get(`/api/meshes/${meshId}/mtls`);
  expect(view.status).toBe(200);
  const out: Record<string, string> = { mesh: view.body.minimum as string };
  for (const s of view.body.services as {
    name: string;
    declared: string | null;
    effective: string;
  }[]) {
    out[s.name] = `${s.declared ?? 'inherit'}/${s.effective}`;
  }
  return out;
}

const migration = async (t: TestApp, id: string) =>
  (await t.http.get(`/api/migrations/${id}`)).body;

/** The edges of a topology as `source→target: state`, sorted, with names. */
function edgeStates(topology: { nodes: { id: string; name: string }[]; edges: Edge[] }) {
  const names = new Map(topology.nodes.map((n) => [n.id, n.name]));
  return topology.edges
    .map((e) => `${names.get(e.source)}→${names.get(e.target)}: ${e.state}`)
    .sort();
}

describe('staged mTLS migrations', () => {
  it('walks a mesh with inheriting and declaring services from DISABLED to STRICT and back', async () => {
    const t = createTestApp();
    const { mesh } = await sandbox(t);
    const start = await modes(t, mesh.id);
    expect(start).toEqual({
      mesh: 'DISABLED',
      api: 'DISABLED/DISABLED',
      db: 'PERMISSIVE/PERMISSIVE',
      web: 'inherit/DISABLED',
    });

    // DISABLED → STRICT is refused as one step, on both faces.
    const oneStep = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .send({ mtls: { minimum: 'STRICT' } });
    expect(oneStep.status).toBe(422);
    expect(oneStep.body.message).toBe('one step at a time: DISABLED→PERMISSIVE→STRICT');
    const oneStepApi = await t.http
      .put(`/api/meshes/${mesh.id}`)
      .send({ mtls: { minimum: 'STRICT' } });
    expect(oneStepApi.status).toBe(422);
    expect(oneStepApi.body.message).toBe('one step at a time: DISABLED→PERMISSIVE→STRICT');

    // Without raising them, api (declared DISABLED) blocks the way; inheriting web never does.
    const target = { kind: 'mesh', meshId: mesh.id, minimum: 'STRICT' };
    const blocked = await t.http.post('/api/migrations/plan').send({ target });
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toBe(
      'cannot raise the mesh minimum to PERMISSIVE: api declare a less strict mode (include them to raise them first)',
    );
    expect(blocked.body.message).not.toContain('web');

    // The plan and its what-if, before anything runs.
    const withRaise = { ...target, raiseBlockingServices: true };
    const plan = await t.http.post('/api/migrations/plan').send({ target: withRaise });
    expect(plan.status).toBe(200);
    expect(plan.body.minimumDurationSeconds).toBe(30);
    const described = (plan.body.stages as { stage: { changes: Body[] } }[]).map((s) =>
      s.stage.changes.map((c) => `${c.name as string}:${c.from as string}→${c.to as string}`),
    );
    expect(described).toEqual([
      ['api:DISABLED→PERMISSIVE', 'sandbox-mesh:DISABLED→PERMISSIVE'],
      ['api:PERMISSIVE→STRICT', 'db:PERMISSIVE→STRICT', 'sandbox-mesh:PERMISSIVE→STRICT'],
    ]);
    expect(plan.body.stages[0].newlyRefused).toEqual([]);
    expect(
      (plan.body.stages[1].newlyRefused as { targetName: string }[]).map((c) => c.targetName),
    ).toEqual(['api', 'db', 'web']);
    expect(await modes(t, mesh.id)).toEqual(start);

    // Run it: the first stage applies at once.
    const started = await t.http.post('/api/migrations').send({ target: withRaise });
    expect(started.status).toBe(202);
    expect(started.headers['opc-work-request-id']).toBe(started.body.workRequestId);
    expect(started.body).toMatchObject({ status: 'ACCEPTED', stageCount: 2, stagesDone: 0 });
    const id = started.body.id as string;
    await t.settle();
    expect(await modes(t, mesh.id)).toEqual({
      mesh: 'PERMISSIVE',
      api: 'PERMISSIVE/PERMISSIVE',
      db: 'PERMISSIVE/PERMISSIVE',
      web: 'inherit/PERMISSIVE',
    });
    expect(await migration(t, id)).toMatchObject({
      status: 'IN_PROGRESS',
      stagesDone: 1,
      currentStage: 1,
      percentComplete: 50,
      nextStepAt: '2025-03-01T00:01:30.000Z',
    });

    // 29 s later: the next stage is not due, and a hand-made step is refused with Retry-After 1.
    t.clock.advance(29_000);
    await t.settle();
    expect((await modes(t, mesh.id)).mesh).toBe('PERMISSIVE');
    for (const path of [`/20220615/meshes/${mesh.id}`, `/api/meshes/${mesh.id}`]) {
      const early = await t.http.put(path).send({ mtls: { minimum: 'STRICT' } });
      expect(early.status).toBe(422);
      expect(early.headers['retry-after']).toBe('1');
      expect(early.body.message).toBe('the last mTLS change is still propagating: wait 1 s');
    }

    // 30 s: the second stage runs and the migration is done.
    t.clock.advance(1_000);
    await t.settle();
    expect(await migration(t, id)).toMatchObject({
      status: 'SUCCEEDED',
      stagesDone: 2,
      currentStage: null,
      percentComplete: 100,
      nextStepAt: null,
      timeFinished: '2025-03-01T00:01:30.000Z',
    });
    expect(await modes(t, mesh.id)).toEqual({
      mesh: 'STRICT',
      api: 'STRICT/STRICT',
      db: 'STRICT/STRICT',
      web: 'inherit/STRICT',
    });

    // And back, once STRICT has propagated: the rollback returns to where it started, staged the
    // same way.
    t.clock.advance(30_000);
    const back = await t.http.post(`/api/migrations/${id}/rollback`);
    expect(back.status).toBe(202);
    expect(back.body).toMatchObject({
      rollbackOf: id,
      stageCount: 2,
      target: { kind: 'mesh', meshId: mesh.id, minimum: 'DISABLED' },
    });
    expect(
      (back.body.stages as { stage: { changes: Body[] } }[]).map((s) =>
        s.stage.changes.map((c) => `${c.name as string}:${c.from as string}→${c.to as string}`),
      ),
    ).toEqual([
      ['sandbox-mesh:STRICT→PERMISSIVE', 'api:STRICT→PERMISSIVE', 'db:STRICT→PERMISSIVE'],
      ['sandbox-mesh:PERMISSIVE→DISABLED', 'api:PERMISSIVE→DISABLED'],
    ]);
    await t.settle();
    expect(await modes(t, mesh.id)).toMatchObject({
      mesh: 'PERMISSIVE',
      web: 'inherit/PERMISSIVE',
    });
    t.clock.advance(29_000);
    await t.settle();
    expect((await modes(t, mesh.id)).mesh).toBe('PERMISSIVE');
    t.clock.advance(1_000);
    await t.settle();
    expect(await migration(t, back.body.id as string)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await modes(t, mesh.id)).toEqual(start);
  });

  it('stops when a resource was changed outside the migration, at the last valid mode', async () => {
    const t = createTestApp();
    const { mesh, db } = await sandbox(t);
    const started = await t.http.post('/api/migrations').send({
      target: { kind: 'mesh', meshId: mesh.id, minimum: 'STRICT', raiseBlockingServices: true },
    });
    await t.settle();
    await t.http
      .put(`/api/virtual-services/${db.id}`)
      .send({ mtls: { mode: 'STRICT' } })
      .expect(200);
    t.clock.advance(30_000);
    await t.settle();
    const failed = await migration(t, started.body.id as string);
    expect(failed).toMatchObject({
      status: 'FAILED',
      stagesDone: 1,
      failure:
        'stage 2 of 2 was refused: db declares STRICT, the plan expected PERMISSIVE: it was changed outside this migration',
    });
    expect(await modes(t, mesh.id)).toEqual({
      mesh: 'PERMISSIVE',
      api: 'PERMISSIVE/PERMISSIVE',
      db: 'STRICT/STRICT',
      web: 'inherit/PERMISSIVE',
    });
    expect(failed.log.map((l: { message: string }) => l.message)).toContain(
      'stopped after stage 1 of 2 at a valid mode: mesh sandbox-mesh minimum PERMISSIVE, api PERMISSIVE, db STRICT',
    );
  });

  it('runs DISABLED → STRICT as two stages 30 s apart, reported as an UPDATE_MESH work request', async () => {
    const t = createTestApp();
    const { mesh } = await sandbox(t);
    const started = await t.http.post('/api/migrations').send({
      target: { kind: 'mesh', meshId: mesh.id, minimum: 'STRICT', raiseBlockingServices: true },
    });
    const id = started.body.id as string;
    const wrId = started.body.workRequestId as string;
    const wr = async () => (await t.http.get(`/20220615/workRequests/${wrId}`)).body;
    expect(await wr()).toMatchObject({
      operationType: 'UPDATE_MESH',
      status: 'ACCEPTED',
      percentComplete: 0,
    });
    await t.settle();
    expect(await wr()).toMatchObject({ status: 'IN_PROGRESS', percentComplete: 50 });
    t.clock.advance(30_000);
    await t.settle();
    expect(await wr()).toMatchObject({
      status: 'SUCCEEDED',
      percentComplete: 100,
      timeFinished: '2025-03-01T00:01:30.000Z',
    });
    expect((await wr()).resources[0]).toMatchObject({ identifier: mesh.id, actionType: 'UPDATED' });
    expect((await wr()).resources.slice(1)).toEqual([
      expect.objectContaining({ entityType: 'VirtualService', actionType: 'RELATED' }),
      expect.objectContaining({ entityType: 'VirtualService', actionType: 'RELATED' }),
    ]);
    const logs = await t.http.get(`/20220615/workRequests/${wrId}/logs`);
    const messages = (logs.body.items as { message: string }[]).map((l) => l.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^stage 1 of 2 applied: api DISABLED→PERMISSIVE, mesh sandbox-mesh minimum DISABLED→PERMISSIVE/,
        ),
        expect.stringMatching(/^stage 2 of 2 applied: /),
      ]),
    );
    const view = await migration(t, id);
    expect(
      view.stages.map((s: { state: string; appliedAt: string }) => [s.state, s.appliedAt]),
    ).toEqual([
      ['APPLIED', '2025-03-01T00:01:00.000Z'],
      ['APPLIED', '2025-03-01T00:01:30.000Z'],
    ]);
    // The OCI face lists newest first; the console's view reads in order.
    expect(view.log.map((l: { message: string }) => l.message)).toEqual([...messages].reverse());
  });

  it('the what-if preview of a migration equals what the graph shows after it has run', async () => {
    const t = createTestApp();
    const { mesh } = await sandbox(t);
    const target = {
      kind: 'mesh',
      meshId: mesh.id,
      minimum: 'STRICT',
      raiseBlockingServices: true,
    };
    const plan = await t.http.post('/api/migrations/plan').send({ target });
    const before = await t.http.get(`/api/meshes/${mesh.id}/topology`);
    expect(edgeStates(plan.body.after)).not.toEqual(edgeStates(before.body));

    await t.http.post('/api/migrations').send({ target }).expect(202);
    await t.settle();
    t.clock.advance(30_000);
    await t.settle();

    const after = await t.http.get(`/api/meshes/${mesh.id}/topology`);
    expect(after.body).toEqual(plan.body.after);
    expect(edgeStates(after.body)).toContain('Outside the mesh→web: refused');
    expect(edgeStates(after.body)).toContain('edge-gw→web: mtls');
  });

  it('shows, per stage, the edges that change and the outside callers newly refused', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const orders = await createVirtualService(t, mesh.id, 'orders');
    await createVirtualService(t, mesh.id, 'cart');
    await createAccessPolicy(t, mesh.id, 'ap-open', [
      allow({ type: 'ALL_VIRTUAL_SERVICES' }, { type: 'ALL_VIRTUAL_SERVICES' }),
    ]);
    const plan = await t.http
      .post('/api/migrations/plan')
      .send({ target: { kind: 'virtualService', id: orders.id, mode: 'STRICT' } });
    expect(plan.status).toBe(200);
    expect(plan.body.subject).toEqual({ kind: 'virtualService', id: orders.id, name: 'orders' });
    expect(plan.body.stages).toHaveLength(1);
    const [stage] = plan.body.stages as { edgeChanges: Body[]; newlyRefused: Body[] }[];
    expect(stage?.newlyRefused).toEqual([
      expect.objectContaining({
        sourceName: 'Outside the mesh',
        targetName: 'orders',
        from: 'plaintext',
        to: 'refused',
      }),
    ]);
    expect(stage?.edgeChanges).toHaveLength(1);
  });

  it('cancels before the next stage and leaves a valid mode', async () => {
    const t = createTestApp();
    const { mesh } = await sandbox(t);
    const started = await t.http.post('/api/migrations').send({
      target: { kind: 'mesh', meshId: mesh.id, minimum: 'STRICT', raiseBlockingServices: true },
    });
    const id = started.body.id as string;
    await t.settle();
    const canceled = await t.http.post(`/api/migrations/${id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({
      status: 'CANCELED',
      stagesDone: 1,
      currentStage: null,
      nextStepAt: null,
    });
    expect(canceled.body.stages.map((s: { state: string }) => s.state)).toEqual([
      'APPLIED',
      'SKIPPED',
    ]);
    t.clock.advance(60_000);
    await t.settle();
    expect((await modes(t, mesh.id)).mesh).toBe('PERMISSIVE');
    const wr = await t.http.get(`/20220615/workRequests/${started.body.workRequestId as string}`);
    expect(wr.body.status).toBe('CANCELED');
    expect((await migration(t, id)).log.at(-1).message).toMatch(
      /^canceled after stage 1 of 2; stays at: mesh sandbox-mesh minimum PERMISSIVE/,
    );
    const again = await t.http.post(`/api/migrations/${id}/cancel`);
    expect(again.status).toBe(409);
  });

  it('rolls back a running migration: it stops, then goes back the same staged way', async () => {
    const t = createTestApp();
    const { mesh, api } = await sandbox(t);
    const started = await t.http.post('/api/migrations').send({
      target: { kind: 'mesh', meshId: mesh.id, minimum: 'STRICT', raiseBlockingServices: true },
    });
    const id = started.body.id as string;
    await t.settle();
    // Stage 1 just ran: the rollback's first stage must wait out its propagation delay.
    const back = await t.http.post(`/api/migrations/${id}/rollback`);
    expect(back.status).toBe(202);
    expect((await migration(t, id)).status).toBe('CANCELED');
    const rollbackId = back.body.id as string;
    expect(
      back.body.stages.map((s: { stage: { changes: Body[] } }) => s.stage.changes.length),
    ).toEqual([2]);
    await t.settle();
    const waiting = await migration(t, rollbackId);
    expect(waiting).toMatchObject({ status: 'IN_PROGRESS', stagesDone: 0 });
    expect(waiting.log.at(-1).message).toMatch(/^stage 1 of 1 waits 30 s: /);
    t.clock.advance(30_000);
    await t.settle();
    expect(await migration(t, rollbackId)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await modes(t, mesh.id)).toEqual({
      mesh: 'DISABLED',
      api: 'DISABLED/DISABLED',
      db: 'PERMISSIVE/PERMISSIVE',
      web: 'inherit/DISABLED',
    });
    expect(api.id).toBeTruthy();
  });

  it('stops at the last valid mode and records why when a stage is refused', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'sandbox-mesh', 'DISABLED');
    await createVirtualService(t, mesh.id, 'web');
    t.clock.advance(60_000);
    const started = await t.http
      .post('/api/migrations')
      .send({ target: { kind: 'mesh', meshId: mesh.id, minimum: 'STRICT' } });
    await t.settle();
    // Meanwhile someone adds a service that declares PERMISSIVE: it blocks the raise to STRICT.
    await createVirtualService(t, mesh.id, 'late', 'PERMISSIVE');
    t.clock.advance(30_000);
    await t.settle();
    const failed = await migration(t, started.body.id as string);
    expect(failed).toMatchObject({
      status: 'FAILED',
      stagesDone: 1,
      failure:
        'stage 2 of 2 was refused: cannot raise the mesh minimum to STRICT: late declares a less strict mode',
    });
    expect((await modes(t, mesh.id)).mesh).toBe('PERMISSIVE');
    const wrId = started.body.workRequestId as string;
    expect((await t.http.get(`/20220615/workRequests/${wrId}`)).body.status).toBe('FAILED');
    const errors = await t.http.get(`/20220615/workRequests/${wrId}/errors`);
    expect(errors.body.items).toEqual([
      expect.objectContaining({ code: 'MigrationStageFailed', message: failed.failure }),
    ]);
  });

  it('waits for a resource whose last change is still propagating instead of failing', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'retail-mesh', 'PERMISSIVE');
    const orders = await createVirtualService(t, mesh.id, 'orders');
    t.clock.advance(60_000);
    await t.http
      .put(`/api/virtual-services/${orders.id}`)
      .send({ mtls: { mode: 'STRICT' } })
      .expect(200);
    t.clock.advance(10_000);
    const started = await t.http
      .post('/api/migrations')
      .send({ target: { kind: 'virtualService', id: orders.id, mode: 'DISABLED' } });
    expect(started.status).toBe(422);
    const toInherit = await t.http
      .post('/api/migrations')
      .send({ target: { kind: 'virtualService', id: orders.id, mode: null } });
    expect(toInherit.status).toBe(202);
    await t.settle();
    const waiting = await migration(t, toInherit.body.id as string);
    expect(waiting).toMatchObject({ stagesDone: 0, nextStepAt: '2025-03-01T00:01:30.000Z' });
    expect(waiting.log.at(-1).message).toBe(
      'stage 1 of 1 waits 20 s: the last mTLS change is still propagating: wait 20 s',
    );
    t.clock.advance(20_000);
    await t.settle();
    expect(await migration(t, toInherit.body.id as string)).toMatchObject({ status: 'SUCCEEDED' });
    expect((await modes(t, mesh.id)).orders).toBe('inherit/PERMISSIVE');
  });

  it('allows one running migration per mesh', async () => {
    const t = createTestApp();
    const { mesh, db } = await sandbox(t);
    const first = await t.http.post('/api/migrations').send({
      target: { kind: 'mesh', meshId: mesh.id, minimum: 'STRICT', raiseBlockingServices: true },
    });
    expect(first.status).toBe(202);
    const second = await t.http
      .post('/api/migrations')
      .send({ target: { kind: 'virtualService', id: db.id, mode: 'STRICT' } });
    expect(second.status).toBe(409);
    expect(second.body.message).toBe(
      `mesh sandbox-mesh already has a running migration (${first.body.id as string}): cancel it or wait for it to finish`,
    );
    const active = await t.http.get(`/api/meshes/${mesh.id}/mtls`);
    expect(active.body.activeMigration.id).toBe(first.body.id);
  });

  it('refuses a migration with nothing to do, a bad target and an unknown id', async () => {
    const t = createTestApp();
    const { mesh } = await sandbox(t);
    const same = await t.http
      .post('/api/migrations')
      .send({ target: { kind: 'mesh', meshId: mesh.id, minimum: 'DISABLED' } });
    expect(same.status).toBe(409);
    expect(same.body.message).toBe('nothing to migrate: mesh sandbox-mesh is already there');
    const bad = await t.http
      .post('/api/migrations/plan')
      .send({ target: { kind: 'mesh', meshId: mesh.id, minimum: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.fieldErrors).toEqual({
      'target.minimum': ['mode must be DISABLED, PERMISSIVE, STRICT or omitted'],
    });
    const unknown = await t.http.post('/api/migrations/plan').send({
      target: { kind: 'virtualService', id: 'ocid1.meshvirtualservice.nope', mode: null },
    });
    expect(unknown.status).toBe(404);
    expect((await t.http.get('/api/migrations/nope')).status).toBe(404);
  });

  it('survives a restart: another process on the same database finishes the run', async () => {
    const t = createTestApp();
    const { mesh } = await sandbox(t);
    const started = await t.http.post('/api/migrations').send({
      target: { kind: 'mesh', meshId: mesh.id, minimum: 'STRICT', raiseBlockingServices: true },
    });
    await t.settle();
    // The first process is gone; a new one opens the same database with its own runner.
    const restarted = createTestApp({ db: t.db });
    restarted.clock.set(new Date(t.clock.now().getTime() + 30_000));
    await restarted.settle();
    const view = (await restarted.http.get(`/api/migrations/${started.body.id as string}`)).body;
    expect(view).toMatchObject({ status: 'SUCCEEDED', stagesDone: 2 });
    expect((await modes(restarted, mesh.id)).mesh).toBe('STRICT');
  });

  it('moves a service from inherit to STRICT and back to inherit', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'sandbox-mesh', 'DISABLED');
    const web = await createVirtualService(t, mesh.id, 'web');
    t.clock.advance(60_000);
    const started = await t.http
      .post('/api/migrations')
      .send({ target: { kind: 'virtualService', id: web.id, mode: 'STRICT' } });
    expect(started.body.workRequestId).toBeTruthy();
    const wr = await t.http.get(`/20220615/workRequests/${started.body.workRequestId as string}`);
    expect(wr.body.operationType).toBe('UPDATE_VIRTUAL_SERVICE');
    await t.settle();
    t.clock.advance(30_000);
    await t.settle();
    expect((await modes(t, mesh.id)).web).toBe('STRICT/STRICT');
    t.clock.advance(30_000);
    const back = await t.http.post(`/api/migrations/${started.body.id as string}/rollback`);
    expect(back.body.target).toEqual({ kind: 'virtualService', id: web.id, mode: null });
    await t.settle();
    t.clock.advance(30_000);
    await t.settle();
    expect((await modes(t, mesh.id)).web).toBe('inherit/DISABLED');
    const list = await t.http.get(`/api/migrations?meshId=${mesh.id}`);
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([
      back.body.id,
      started.body.id,
    ]);
    expect(COMPARTMENT_ID).toBeTruthy();
  });
});
