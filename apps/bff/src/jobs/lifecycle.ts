import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Backend } from '../backend.ts';
import {
  createCertificateService,
  type CertificateService,
} from '../certificates/certificate-service.ts';
import { certificatesRouter } from '../certificates/certificates.routes.ts';
import { createKeyring } from '../certificates/keyring.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/open-db.ts';
import type { Logger } from '../logger.ts';
import { clockRouter } from './demo-clock.ts';
import { createJobRunner, type JobRunner } from './job-runner.ts';
import { jobsRouter } from './jobs.routes.ts';

export interface LifecycleDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  backend: Backend;
  /** The process's runner (server.ts starts it); a new, never-started one when absent. */
  runner?: JobRunner | undefined;
  /** Demo mode: `POST /api/demo/clock/advance` is on. */
  demo?: boolean | undefined;
  /** 32 bytes that encrypt private keys at rest; random per process when absent. */
  secretKey?: Uint8Array | undefined;
}

export interface Lifecycle {
  runner: JobRunner;
  certificates: CertificateService;
  /** `/api/certificates…`, `/api/certificate-authorities…`, `/api/jobs…`, `/api/clock`, demo clock. */
  router: Router;
}

/** Jobs, certificates and the clock endpoints, put together for createApp. */
export function createLifecycle(deps: LifecycleDeps): Lifecycle {
  const { db, clock, backend } = deps;
  const runner = deps.runner ?? createJobRunner({ db, clock, logger: deps.logger });
  const certificates = createCertificateService({
    db,
    clock,
    repository: backend.certificates,
    jobs: backend.jobs,
    keyring: createKeyring(deps.secretKey ?? randomBytes(32)),
  });
  certificates.registerJobs(runner);

  const router = Router();
  router.use(
    certificatesRouter({
      clock,
      repository: backend.certificates,
      service: certificates,
      jobs: backend.jobs,
      runner,
    }),
  );
  router.use(jobsRouter(backend.jobs));
  router.use(clockRouter({ clock, demo: deps.demo ?? false, runner }));
  return { runner, certificates, router };
}
