import type { Clock } from './clock.ts';
import type { Db } from './db/open-db.ts';
import {
  createFindingsRepository,
  type FindingsRepository,
} from './findings/findings.repository.ts';
import {
  createImportSourcesRepository,
  type ImportSourcesRepository,
} from './import-sources/import-sources.repository.ts';
import { createStores, definitions } from './resources/definitions.ts';
import type { Stores } from './resources/resource-kind.ts';
import { createServices, type Services } from './resources/resource-service.ts';
import {
  createWorkRequestRepository,
  type WorkRequestRepository,
} from './work-requests/work-requests.repository.ts';

/** The stores and write services of one database, shared by both faces, import and the demo seed. */
export interface Backend {
  stores: Stores;
  services: Services;
  findings: FindingsRepository;
  workRequests: WorkRequestRepository;
  /** Provenance of imported resources (the operator documents they came from). */
  importSources: ImportSourcesRepository;
}

export function createBackend(db: Db, clock: Clock): Backend {
  const stores = createStores(db);
  const findings = createFindingsRepository(db);
  const workRequests = createWorkRequestRepository(db);
  const services = createServices({ db, clock, stores, findings, workRequests, definitions });
  const importSources = createImportSourcesRepository(db);
  return { stores, services, findings, workRequests, importSources };
}
