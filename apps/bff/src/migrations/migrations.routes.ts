import { meshMinimumChoices, type MeshMtlsView } from '@meshdeck/domain';
import { Router } from 'express';
import type { Backend } from '../backend.ts';
import type { Clock } from '../clock.ts';
import { loadMeshRecords, meshSummary, mtlsView } from '../console-api/views.ts';
import { NotFoundError } from '../errors.ts';
import { ifMatchOf, queryValue, readLimit } from '../http/parse.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import type { MigrationService } from './migrations.service.ts';

/**
 * `/api/migrations…` (staged mTLS migrations), the mesh's mTLS view and the console's mesh update
 * (the mesh minimum control). Mesh writes go through the same write service as the OCI face.
 */
export function migrationsRouter(deps: {
  clock: Clock;
  backend: Backend;
  migrations: MigrationService;
}): Router {
  const router = Router();
  const { clock, backend, migrations } = deps;
  const { stores, services } = backend;

  const liveMesh = (id: string): MeshRecord => {
    const mesh = stores.Mesh.get(id);
    if (!mesh || mesh.lifecycleState === 'DELETED') throw new NotFoundError(`mesh ${id} not found`);
    return mesh;
  };

  const meshMtlsView = (mesh: MeshRecord): MeshMtlsView => {
    const now = clock.now();
    const vss = stores.VirtualService.listLive({ parentIds: [mesh.id] }).sort(
      (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
    );
    return {
      meshId: mesh.id,
      meshName: mesh.displayName,
      minimum: mesh.mtls.minimum,
      minimumChangedAt: mesh.mtlsChangedAt,
      services: vss.map((vs) => ({ id: vs.id, name: vs.name, ...mtlsView(vs, mesh.mtls.minimum) })),
      minimumChoices: meshMinimumChoices({
        current: { minimum: mesh.mtls.minimum, lastChangedAt: mesh.mtlsChangedAt },
        declaredServices: vss.map((vs) => ({
          name: vs.name,
          declared: vs.declaredMode,
          lastChangedAt: vs.mtlsChangedAt,
        })),
        now,
      }),
      activeMigration: migrations.liveForMesh(mesh.id) ?? null,
      now: now.toISOString(),
    };
  };

  router.get('/meshes/:meshId/mtls', (req, res) => {
    res.json(meshMtlsView(liveMesh(req.params.meshId)));
  });

  router.put('/meshes/:meshId', (req, res) => {
    const { record } = services.Mesh.update(req.params.meshId, req.body, ifMatchOf(req));
    res.setHeader('etag', record.etag);
    const records = loadMeshRecords(stores, record);
    res.json(meshSummary(records, backend.meshCertificateStatus(records)));
  });

  router.post('/migrations/plan', (req, res) => {
    res.json(migrations.plan(req.body));
  });

  router.post('/migrations', (req, res) => {
    const started = migrations.start(req.body);
    res.setHeader('opc-work-request-id', started.workRequestId);
    res.setHeader('location', `/api/migrations/${started.id}`);
    res.status(202).json(started);
  });

  router.get('/migrations', (req, res) => {
    const meshId = queryValue(req.query, 'meshId');
    res.json({
      items: migrations.list({ ...(meshId ? { meshId } : {}), limit: readLimit(req.query) }),
    });
  });

  router.get('/migrations/:id', (req, res) => {
    res.json(migrations.get(req.params.id));
  });

  router.post('/migrations/:id/cancel', (req, res) => {
    res.json(migrations.cancel(req.params.id));
  });

  router.post('/migrations/:id/rollback', (req, res) => {
    const started = migrations.rollback(req.params.id);
    res.setHeader('opc-work-request-id', started.workRequestId);
    res.setHeader('location', `/api/migrations/${started.id}`);
    res.status(202).json(started);
  });

  return router;
}
