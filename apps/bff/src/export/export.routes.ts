import { Router } from 'express';
import type { Clock } from '../clock.ts';
import { loadMeshRecords } from '../console-api/views.ts';
import { InvalidParameterError, NotFoundError } from '../errors.ts';
import { queryValue } from '../http/parse.ts';
import type { Stores } from '../resources/resource-kind.ts';
import {
  EXPORT_FORMATS,
  exportOciJson,
  exportOperatorYaml,
  type ExportFormat,
} from './mesh-export.ts';

export interface ExportDeps {
  stores: Stores;
  clock: Clock;
}

/** A file name for the download: the mesh's name in safe characters. */
function fileName(displayName: string, format: ExportFormat): string {
  const base =
    displayName
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'mesh';
  return format === 'oci-json' ? `${base}.oci.json` : `${base}.operator.yaml`;
}

/**
 * `GET /api/meshes/:meshId/export?format=oci-json|operator-yaml` (default oci-json): the mesh and
 * all its live resources as a file `POST /api/import` reads back (docs/import.md, "Export").
 */
export function exportRouter(deps: ExportDeps): Router {
  const router = Router();
  router.get('/meshes/:meshId/export', (req, res) => {
    const given = queryValue(req.query, 'format') ?? 'oci-json';
    if (!(EXPORT_FORMATS as readonly string[]).includes(given)) {
      throw new InvalidParameterError('format', `must be ${EXPORT_FORMATS.join(' or ')}`);
    }
    const format = given as ExportFormat;
    const mesh = deps.stores.Mesh.get(req.params.meshId);
    if (!mesh || mesh.lifecycleState === 'DELETED') {
      throw new NotFoundError(`mesh ${req.params.meshId} not found`);
    }
    const records = loadMeshRecords(deps.stores, mesh);
    res.setHeader(
      'content-disposition',
      `attachment; filename="${fileName(mesh.displayName, format)}"`,
    );
    if (format === 'oci-json') {
      res.type('application/json');
      res.send(
        `${JSON.stringify(exportOciJson(records, deps.clock.now().toISOString()), null, 2)}\n`,
      );
    } else {
      res.type('application/yaml');
      res.send(exportOperatorYaml(records).yaml);
    }
  });
  return router;
}
