import express, { Router } from 'express';
import { queryValue } from '../http/parse.ts';
import { applyImport, type ImportDeps, type ImportOptions } from './import-apply.ts';

/**
 * `POST /api/import`: the raw file (operator YAML or an OCI JSON export) as text, whatever its
 * content type; the planner decides what it is and rejects what it cannot read.
 */
export function importRouter(deps: ImportDeps, limitBytes: number): Router {
  const router = Router();
  router.post('/import', express.text({ type: () => true, limit: limitBytes }), (req, res) => {
    const options: ImportOptions = {};
    const compartmentId = queryValue(req.query, 'compartmentId');
    if (compartmentId) options.compartmentId = compartmentId;
    const certificateAuthorityId = queryValue(req.query, 'certificateAuthorityId');
    if (certificateAuthorityId) options.certificateAuthorityId = certificateAuthorityId;
    const text = typeof req.body === 'string' ? req.body : '';
    res.json(applyImport(deps, text, req.get('content-type') ?? '', options));
  });
  return router;
}
