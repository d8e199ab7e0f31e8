import { describe, expect, it } from 'vitest';
import { createBackend } from '../backend.ts';
import { createManualClock } from '../clock.ts';
import { openTestDb } from '../testing/test-db.ts';
import { createJobRunner } from '../jobs/job-runner.ts';
import { silentLogger } from '../logger.ts';
import {
  CA_ID,
  COMPARTMENT_ID,
  createMesh,
  createTestApp,
  createVirtualService,
  type TestApp,
} from '../testing/test-app.ts';
import { registerResourceLifecycle, type GateVerdict } from './resource-lifecycle.ts';

const meshBody = (displayName = 'm1') => ({
  compartmentId: COMPARTMENT_ID,
  displayName,
  certificateAuthorities: [{ id: CA_ID }],
});

/** A test app whose lifecycle steps take `stepMs` of the manual clock. */
function slowApp(stepMs = 10_000): TestApp {
  return createTestApp({ config: { resourceLifecycle: { stepMs } } });
}

async function workRequest(t: TestApp, id: string) {
  return t.http.get(`/20220615/workRequests/${id}`);
}

describe('work requests', () => {
  it('records one work request per write, finished by its job, and lists them newest first', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    t.clock.advance(1000);
    const update = await t.http
      .put(`/20220615/meshes/${mesh.id}`)
      .send({ description: 'x' })
      .expect(202);
    await t.settle();
    t.clock.advance(1000);
    await t.http.delete(`/20220615/meshes/${mesh.id}`).expect(202);
    await t.settle();

    const list = await t.http.get(`/20220615/workRequests?compartmentId=${COMPARTMENT_ID}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { operationType: string }) => w.operationType)).toEqual([
      'DELETE_MESH',
      'UPDATE_MESH',
      'CREATE_MESH',
    ]);
    for (const wr of list.body.items) {
      expect(wr).toMatchObject({ status: 'SUCCEEDED', percentComplete: 100 });
      expect(wr.timeFinished).toBe(wr.timeAccepted);
    }

    const byResource = await t.http.get(
      `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&resourceId=${mesh.id}&sortOrder=ASC&limit=1`,
    );
    expect(byResource.body.items[0].operationType).toBe('CREATE_MESH');
    const next = await t.http.get(
      `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&resourceId=${mesh.id}&sortOrder=ASC&limit=1&page=${byResource.headers['opc-next-page']}`,
    );
    expect(next.body.items[0].operationType).toBe('UPDATE_MESH');
    const succeeded = await t.http.get(
      `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&operationStatus=SUCCEEDED&workRequestId=${update.headers['opc-work-request-id']}`,
    );
    expect(succeeded.body.items).toHaveLength(1);

    const one = await workRequest(t, update.headers['opc-work-request-id'] as string);
    expect(one.headers.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(one.body).toMatchObject({
      operationType: 'UPDATE_MESH',
      resources: [
        {
          entityType: 'Mesh',
          actionType: 'UPDATED',
          identifier: mesh.id,
          entityUri: `/20220615/meshes/${mesh.id}`,
        },
      ],
    });
    expect((await t.http.get(`/20220615/workRequests/${one.body.id}/errors`)).body).toEqual({
      items: [],
    });
  });

  it('goes ACCEPTED → IN_PROGRESS → SUCCEEDED with percent complete, retry-after and logs', async () => {
    const t = slowApp();
    const created = await t.http.post('/20220615/meshes').send(meshBody());
    const id = created.headers['opc-work-request-id'] as string;
    const accepted = await workRequest(t, id);
    expect(accepted.body).toMatchObject({ status: 'ACCEPTED', percentComplete: 0 });
    expect(accepted.headers['retry-after']).toBe('1');

    await t.settle();
    const running = await workRequest(t, id);
    expect(running.body).toMatchObject({
      status: 'IN_PROGRESS',
      percentComplete: 50,
      timeStarted: '2025-03-01T00:00:00.000Z',
      resources: [{ actionType: 'IN_PROGRESS' }],
    });
    expect(running.body).not.toHaveProperty('timeFinished');
    expect(running.headers.etag).not.toBe(accepted.headers.etag);
    expect((await t.http.get(`/20220615/meshes/${created.body.id}`)).body.lifecycleState).toBe(
      'CREATING',
    );

    t.clock.advance(10_000);
    await t.settle();
    const done = await workRequest(t, id);
    expect(done.body).toMatchObject({
      status: 'SUCCEEDED',
      percentComplete: 100,
      timeFinished: '2025-03-01T00:00:10.000Z',
      resources: [{ actionType: 'CREATED' }],
    });
    expect(done.headers['retry-after']).toBeUndefined();
    expect((await t.http.get(`/20220615/meshes/${created.body.id}`)).body.lifecycleState).toBe(
      'ACTIVE',
    );

    const logs = await t.http.get(`/20220615/workRequests/${id}/logs`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toEqual([
      'create of mesh m1 succeeded',
      'started to create mesh m1',
    ]);
    const first = await t.http.get(`/20220615/workRequests/${id}/logs?sortOrder=ASC&limit=1`);
    expect(first.body.items).toEqual([
      { message: 'started to create mesh m1', timestamp: '2025-03-01T00:00:00.000Z' },
    ]);
    const rest = await t.http.get(
      `/20220615/workRequests/${id}/logs?sortOrder=ASC&limit=1&page=${first.headers['opc-next-page']}`,
    );
    expect(rest.body.items[0].message).toBe('create of mesh m1 succeeded');
    expect(rest.headers['opc-next-page']).toBeUndefined();
    expect((await t.http.get(`/20220615/workRequests/${id}/logs?sortBy=x`)).status).toBe(400);
  });

  it('answers 409 IncorrectState (with Retry-After) to writes while a write is under way', async () => {
    const t = slowApp();
    const created = await t.http.post('/20220615/meshes').send(meshBody());
    const meshId = created.body.id as string;
    const child = await t.http.post('/20220615/virtualServices').send({
      compartmentId: COMPARTMENT_ID,
      meshId,
      name: 'cart',
    });
    expect(child.status).toBe(409);
    expect(child.headers['retry-after']).toBe('1');
    expect(child.body).toEqual({
      code: 'IncorrectState',
      message: 'mesh m1 is CREATING; retry once it is ACTIVE',
    });
    const update = await t.http.put(`/20220615/meshes/${meshId}`).send({ description: 'x' });
    expect(update.status).toBe(409);
    expect(update.body.code).toBe('IncorrectState');
    expect((await t.http.delete(`/20220615/meshes/${meshId}`)).body.code).toBe('IncorrectState');

    await t.settle();
    t.clock.advance(10_000);
    await t.settle();
    const vs = await t.http.post('/20220615/virtualServices').send({
      compartmentId: COMPARTMENT_ID,
      meshId,
      name: 'cart',
    });
    expect(vs.status).toBe(200);
    await t.settle();
    t.clock.advance(10_000);
    await t.settle();
    await t.http.delete(`/20220615/virtualServices/${vs.body.id}`).expect(202);
    // The only child is DELETING: the mesh delete can succeed soon, so it is retryable.
    const early = await t.http.delete(`/20220615/meshes/${meshId}`);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      code: 'IncorrectState',
      message: 'cannot delete mesh m1: in use by virtual service cart',
    });
    await t.settle();
    t.clock.advance(10_000);
    await t.settle();
    expect((await t.http.delete(`/20220615/meshes/${meshId}`)).status).toBe(202);
  });

  it('cancels a create: CANCELING, then CANCELED with the resource DELETED and its name free', async () => {
    const t = slowApp();
    const created = await t.http.post('/20220615/meshes').send(meshBody());
    const id = created.headers['opc-work-request-id'] as string;
    await t.settle();
    const running = await workRequest(t, id);
    expect(running.body.status).toBe('IN_PROGRESS');

    const stale = await t.http.delete(`/20220615/workRequests/${id}`).set('if-match', 'nope');
    expect(stale.status).toBe(412);
    const cancel = await t.http
      .delete(`/20220615/workRequests/${id}`)
      .set('if-match', running.headers.etag as string);
    expect(cancel.status).toBe(202);
    expect((await workRequest(t, id)).body.status).toBe('CANCELING');

    t.clock.advance(10_000);
    await t.settle();
    const canceled = await workRequest(t, id);
    expect(canceled.body).toMatchObject({
      status: 'CANCELED',
      timeFinished: '2025-03-01T00:00:10.000Z',
    });
    const mesh = await t.http.get(`/20220615/meshes/${created.body.id}`);
    expect(mesh.body).toMatchObject({
      lifecycleState: 'DELETED',
      lifecycleDetails: 'the create was canceled',
    });
    expect((await t.http.delete(`/20220615/workRequests/${id}`)).status).toBe(409);
  });

  it('refuses to cancel an update, a delete or a finished work request (409)', async () => {
    const t = createTestApp();
    const mesh = await createMesh(t, 'm1');
    const update = await t.http.put(`/20220615/meshes/${mesh.id}`).send({ description: 'x' });
    const res = await t.http.delete(
      `/20220615/workRequests/${update.headers['opc-work-request-id']}`,
    );
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/UPDATE_MESH\) was applied when accepted/);
    await t.settle();
    const list = await t.http.get(
      `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&resourceId=${mesh.id}&sortOrder=ASC`,
    );
    const createId = list.body.items[0].id as string;
    expect((await t.http.delete(`/20220615/workRequests/${createId}`)).status).toBe(409);
  });

  it('keeps a deleted resource readable for the retention period, then purges it', async () => {
    const t = createTestApp({ config: { resourceLifecycle: { deletedRetentionMs: 600_000 } } });
    const mesh = await createMesh(t, 'm1');
    const vs = await createVirtualService(t, mesh.id, 'cart');
    await t.http.delete(`/20220615/virtualServices/${vs.id}`).expect(202);
    await t.settle();
    await t.http.delete(`/20220615/meshes/${mesh.id}`).expect(202);
    await t.settle();

    t.clock.advance(599_000);
    await t.settle();
    expect((await t.http.get(`/20220615/meshes/${mesh.id}`)).body.lifecycleState).toBe('DELETED');
    expect((await t.http.get(`/20220615/virtualServices/${vs.id}`)).status).toBe(200);

    t.clock.advance(150_000);
    await t.settle();
    expect((await t.http.get(`/20220615/meshes/${mesh.id}`)).status).toBe(404);
    expect((await t.http.get(`/20220615/virtualServices/${vs.id}`)).status).toBe(404);
    // Work requests outlive the resources they changed.
    const wrs = await t.http.get(
      `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&resourceId=${mesh.id}`,
    );
    expect(wrs.body.items).toHaveLength(2);
  });

  it('answers 400 for a bad work request query and 404 for an unknown id', async () => {
    const t = createTestApp();
    expect((await t.http.get('/20220615/workRequests')).body.code).toBe('MissingParameter');
    expect(
      (await t.http.get(`/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&sortBy=id`)).status,
    ).toBe(400);
    expect(
      (
        await t.http.get(
          `/20220615/workRequests?compartmentId=${COMPARTMENT_ID}&operationStatus=DONE`,
        )
      ).status,
    ).toBe(400);
    expect((await t.http.get('/20220615/workRequests/nope')).status).toBe(404);
    expect((await t.http.get('/20220615/workRequests/nope/logs')).status).toBe(404);
    expect((await t.http.delete('/20220615/workRequests/nope')).status).toBe(404);
  });

  it('names the proxy image', async () => {
    const t = createTestApp({ config: { proxyImage: 'example/proxy:1' } });
    const res = await t.http.get('/20220615/proxyDetails');
    expect(res.body).toEqual({ proxyImage: 'example/proxy:1' });
  });
});

describe('the lifecycle job', () => {
  function lifecycleWith(verdict: () => GateVerdict) {
    const db = openTestDb();
    const clock = createManualClock('2025-03-01T00:00:00.000Z');
    const backend = createBackend(db, clock);
    const runner = createJobRunner({ db, clock, logger: silentLogger });
    registerResourceLifecycle(runner, {
      db,
      backend,
      clock,
      logger: silentLogger,
      config: { stepMs: 1000, gateTimeoutMs: 60_000 },
      gates: [verdict],
    });
    const create = () => backend.services.Mesh.create(meshBody(), { lifecycle: 'job' });
    return { db, clock, backend, runner, create };
  }

  it('shows WAITING while a gate waits, then finishes once it is ready', async () => {
    let verdict: GateVerdict = { wait: 'waiting for certificate authority x to be created' };
    const l = lifecycleWith(() => verdict);
    const { record, workRequest } = l.create();
    await l.runner.runDue();
    l.clock.advance(1000);
    await l.runner.runDue();
    expect(l.backend.workRequests.get(workRequest.id)?.status).toBe('WAITING');
    expect(l.backend.services.Mesh.get(record.id).lifecycleState).toBe('CREATING');
    verdict = { ready: true };
    l.clock.advance(1000);
    await l.runner.runDue();
    expect(l.backend.workRequests.get(workRequest.id)).toMatchObject({
      status: 'SUCCEEDED',
      timeFinished: '2025-03-01T00:00:02.000Z',
    });
    expect(l.backend.services.Mesh.get(record.id).lifecycleState).toBe('ACTIVE');
  });

  it('fails the create with lifecycleDetails and a work request error when a gate fails', async () => {
    const l = lifecycleWith(() => ({
      failed: 'certificate c could not be issued: mesh CA expired on 2025-02-01',
      code: 'CA_EXPIRED',
    }));
    const { record, workRequest } = l.create();
    await l.runner.runDue();
    l.clock.advance(1000);
    await l.runner.runDue();
    expect(l.backend.services.Mesh.get(record.id)).toMatchObject({
      lifecycleState: 'FAILED',
      lifecycleDetails: 'certificate c could not be issued: mesh CA expired on 2025-02-01',
    });
    const wr = l.backend.workRequests.get(workRequest.id);
    expect(wr).toMatchObject({
      status: 'FAILED',
      timeFinished: '2025-03-01T00:00:01.000Z',
      resources: [{ actionType: 'FAILED' }],
    });
    expect(
      l.backend.workRequests.entries(workRequest.id, 'ERROR', { sortOrder: 'ASC', limit: 10 })
        .items,
    ).toEqual([
      {
        code: 'CA_EXPIRED',
        message: 'certificate c could not be issued: mesh CA expired on 2025-02-01',
        timestamp: '2025-03-01T00:00:01.000Z',
      },
    ]);
    // A FAILED resource can only be deleted.
    expect(() => l.backend.services.Mesh.update(record.id, { description: 'x' })).toThrow(
      /is FAILED; delete it/,
    );
    expect(l.backend.services.Mesh.remove(record.id).record.lifecycleState).toBe('DELETED');
  });

  it('fails a write whose gate waits longer than the timeout', async () => {
    const l = lifecycleWith(() => ({ wait: 'waiting for certificate x to be issued' }));
    const { record, workRequest } = l.create();
    for (let i = 0; i < 63; i += 1) {
      await l.runner.runDue();
      l.clock.advance(1000);
    }
    expect(l.backend.workRequests.get(workRequest.id)?.status).toBe('FAILED');
    expect(l.backend.services.Mesh.get(record.id).lifecycleDetails).toBe(
      'timed out waiting for certificate x to be issued',
    );
  });
});
