import express, { Router, type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from './backend.ts';
import type { Clock } from './clock.ts';
import { consoleRouter } from './console-api/console.routes.ts';
import { importRouter } from './console-api/import.routes.ts';
import type { Db } from './db/open-db.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  jsonBody,
  parseQuery,
  rejectPrototypeKeys,
  requireJsonBody,
} from './http/parse.ts';
import { requestId } from './http/request-id.ts';
import { createJsonLogger, type Logger } from './logger.ts';
import { ociResourceRouter } from './resources/oci-resource.routes.ts';
import { RESOURCE_KINDS } from './resources/resource-store.ts';
import { workRequestsRouter } from './work-requests/work-requests.routes.ts';

export interface AppConfig {
  /** Largest accepted request body (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Folder of the built console; served with an SPA fallback when it exists. */
  consoleDir?: string;
  /** The proxy image `/20220615/proxyDetails` names. */
  proxyImage?: string;
}

export interface AppDeps {
  db: Db;
  clock: Clock;
  logger?: Logger;
  config?: AppConfig;
}

export const DEFAULT_PROXY_IMAGE = 'docker.io/envoyproxy/envoy:v1.31.0';

/** The Express app of the BFF. It never listens; server.ts and the tests do. */
export function createApp(deps: AppDeps): Express {
  const logger = deps.logger ?? createJsonLogger();
  const config = deps.config ?? {};
  const limit = config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const backend = createBackend(deps.db, deps.clock);

  const app = express();
  app.disable('x-powered-by');
  // Our `etag` header is the resource version; Express's body hash would only confuse it.
  app.set('etag', false);
  app.set('query parser', parseQuery);
  app.use(requestId());

  const oci = Router();
  oci.use(requireJsonBody, jsonBody(limit), rejectPrototypeKeys);
  for (const kind of RESOURCE_KINDS) oci.use(ociResourceRouter(kind, backend));
  oci.use(workRequestsRouter(backend.workRequests));
  oci.get('/proxyDetails', (_req, res) => {
    res.json({ proxyImage: config.proxyImage ?? DEFAULT_PROXY_IMAGE });
  });
  app.use('/20220615', oci);

  const api = Router();
  api.use(importRouter({ db: deps.db, clock: deps.clock, ...backend }, limit));
  api.use(requireJsonBody, jsonBody(limit), rejectPrototypeKeys);
  api.use(consoleRouter(backend));
  app.use('/api', api);

  if (config.consoleDir && existsSync(join(config.consoleDir, 'index.html'))) {
    const consoleDir = config.consoleDir;
    app.use(express.static(consoleDir, { index: false }));
    app.use((req, res, next) => {
      const apiPath = /^\/(api|20220615)(\/|$)/.test(req.path);
      if ((req.method !== 'GET' && req.method !== 'HEAD') || apiPath) return next();
      res.sendFile(join(consoleDir, 'index.html'));
    });
  }

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
