import { OcidFormatSchema } from '@meshdeck/domain';
import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { InvalidParameterError, NotFoundError, ValidationError } from '../errors.ts';
import { queryValue } from '../http/parse.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { parseInput } from '../resources/parse-input.ts';
import {
  DEFAULT_CA_MAX_LEAF_VALIDITY_DAYS,
  DEFAULT_CA_VALIDITY_DAYS,
} from './certificate-hooks.ts';
import type { CertificateService } from './certificate-service.ts';
import { authorityView, certificateDetail, certificateView } from './certificate-views.ts';
import type {
  CertificateAuthorityRecord,
  CertificateRepository,
} from './certificates.repository.ts';

/** POST /api/certificate-authorities: a Meshdeck CA a mesh can then name. */
export const CertificateAuthorityCreateSchema = z.strictObject({
  compartmentId: OcidFormatSchema,
  name: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(255),
  validityDays: z
    .int({ error: 'validityDays must be a whole number of days' })
    .min(1, { error: 'validityDays must be between 1 and 3650' })
    .max(3650, { error: 'validityDays must be between 1 and 3650' })
    .optional(),
  maximumLeafValidity: z
    .int({ error: 'maximumLeafValidity must be a whole number of days' })
    .min(45, { error: 'maximumLeafValidity must be between 45 and 90 days' })
    .max(90, { error: 'maximumLeafValidity must be between 45 and 90 days' })
    .optional(),
});

export interface CertificatesRouterDeps {
  clock: Clock;
  repository: CertificateRepository;
  service: CertificateService;
  jobs: JobQueue;
  runner: JobRunner;
}

/** The console's certificate endpoints (docs/console-api.md "Certificates"). */
export function certificatesRouter(deps: CertificatesRouterDeps): Router {
  const router = Router();
  const { repository: repo, service, clock } = deps;

  const mustGet = (id: string) => {
    const cert = repo.get(id);
    if (!cert) throw new NotFoundError(`certificate ${id} not found`);
    return cert;
  };
  const detail = (id: string) =>
    certificateDetail(mustGet(id), repo, deps.jobs.runsForSubject(id, 20), clock.now());

  router.get('/certificates', (req, res) => {
    const meshId = queryValue(req.query, 'meshId');
    const resourceId = queryValue(req.query, 'resourceId');
    if (!meshId && !resourceId) {
      throw new InvalidParameterError('meshId', 'meshId or resourceId is required');
    }
    const certs = meshId ? repo.listByMesh(meshId) : repo.listByResource(resourceId as string);
    const now = clock.now();
    const authorities = new Map<string, CertificateAuthorityRecord | undefined>();
    res.json({
      items: certs
        .filter((c) => !resourceId || c.resourceId === resourceId)
        .map((c) => certificateView(c, repo, now, authorities)),
    });
  });

  router.get('/certificates/:id', (req, res) => {
    res.json(detail(req.params.id));
  });

  router.delete('/certificates/:id/versions/:version', (req, res) => {
    // Only plain decimal digits: `0x1`, `2.0` or `2e0` must not name a real version.
    const text = req.params.version;
    const version = /^[1-9][0-9]{0,5}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(version)) {
      throw new InvalidParameterError('version', 'version must be a whole number from 1');
    }
    service.deleteVersion(req.params.id, version);
    res.json(detail(req.params.id));
  });

  router.delete('/certificates/:id/versions', (req, res) => {
    service.deleteOldVersions(req.params.id);
    res.json(detail(req.params.id));
  });

  router.post('/certificates/:id/retry', async (req, res) => {
    service.retry(req.params.id);
    await deps.runner.runDue();
    res.json(detail(req.params.id));
  });

  router.get('/certificate-authorities', (_req, res) => {
    const now = clock.now();
    res.json({ items: repo.listAuthorities().map((ca) => authorityView(ca, now)) });
  });

  router.get('/certificate-authorities/:id', (req, res) => {
    const ca = repo.getAuthority(req.params.id);
    if (!ca) throw new NotFoundError(`certificate authority ${req.params.id} not found`);
    res.json(authorityView(ca, clock.now()));
  });

  router.post('/certificate-authorities', async (req, res) => {
    const parsed = parseInput(CertificateAuthorityCreateSchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    const ca = await service.createAuthority({
      compartmentId: parsed.data.compartmentId,
      name: parsed.data.name,
      validityDays: parsed.data.validityDays ?? DEFAULT_CA_VALIDITY_DAYS,
      maximumLeafValidity: parsed.data.maximumLeafValidity ?? DEFAULT_CA_MAX_LEAF_VALIDITY_DAYS,
    });
    res.status(201).json(authorityView(ca, clock.now()));
  });

  return router;
}
