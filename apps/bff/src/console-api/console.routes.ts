import { deriveTopology } from '@meshdeck/domain';
import { Router } from 'express';
import { ifMatchOf } from '../http/parse.ts';
import { NotFoundError } from '../errors.ts';
import type { FindingsRepository } from '../findings/findings.repository.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import { createPresentContext } from '../resources/definitions.ts';
import type { Stores } from '../resources/resource-kind.ts';
import type { Services } from '../resources/resource-service.ts';
import type { MeshCertificateStatus } from '@meshdeck/domain';
import {
  loadMeshRecords,
  meshDetail,
  meshSnapshot,
  meshSummary,
  virtualServiceView,
  type MeshRecords,
} from './views.ts';

export interface ConsoleDeps {
  stores: Stores;
  services: Services;
  findings: FindingsRepository;
  /** Certificate status of a mesh (backend.ts); summaries go without it when absent. */
  meshCertificateStatus?: (records: MeshRecords) => MeshCertificateStatus;
}

/**
 * The console's `/api` face (docs/console-api.md). Writes go through the same services as the
 * OCI face, so both enforce the same rules in one code path.
 */
export function consoleRouter(deps: ConsoleDeps): Router {
  const router = Router();
  const { stores, services } = deps;

  const liveMesh = (id: string): MeshRecord => {
    const mesh = stores.Mesh.get(id);
    if (!mesh || mesh.lifecycleState === 'DELETED') throw new NotFoundError(`mesh ${id} not found`);
    return mesh;
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/meshes', (_req, res) => {
    const meshes = stores.Mesh.listLive().sort(
      (a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id),
    );
    res.json({
      items: meshes.map((mesh) => {
        const records = loadMeshRecords(stores, mesh);
        return meshSummary(records, deps.meshCertificateStatus?.(records));
      }),
    });
  });

  router.get('/meshes/:meshId', (req, res) => {
    const records = loadMeshRecords(stores, liveMesh(req.params.meshId));
    res.json(
      meshDetail(
        records,
        (ids) => deps.findings.listFor(ids),
        deps.meshCertificateStatus?.(records),
      ),
    );
  });

  router.get('/meshes/:meshId/topology', (req, res) => {
    const records = loadMeshRecords(stores, liveMesh(req.params.meshId));
    res.json(deriveTopology(meshSnapshot(records)));
  });

  router.get('/virtual-services/:id', (req, res) => {
    const vs = services.VirtualService.get(req.params.id);
    const ctx = createPresentContext(stores);
    res.setHeader('etag', vs.etag);
    res.json({ ...virtualServiceView(vs, ctx), meshMinimum: ctx.meshMinimum(vs.meshId) });
  });

  router.post('/virtual-services', (req, res) => {
    const { record } = services.VirtualService.create(req.body);
    res.setHeader('etag', record.etag);
    res.status(201).json(virtualServiceView(record, createPresentContext(stores)));
  });

  router.put('/virtual-services/:id', (req, res) => {
    const { record } = services.VirtualService.update(req.params.id, req.body, ifMatchOf(req));
    res.setHeader('etag', record.etag);
    res.json(virtualServiceView(record, createPresentContext(stores)));
  });

  router.delete('/virtual-services/:id', (req, res) => {
    services.VirtualService.remove(req.params.id, ifMatchOf(req));
    res.status(204).end();
  });

  return router;
}
