import express, { Router, type Express } from 'express';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createAccess, DEFAULT_RATE_LIMITS, type RateLimitConfig } from './auth/access.ts';
import { auditRouter } from './audit/audit.routes.ts';
import { createApiKeyRepository } from './auth/api-keys.repository.ts';
import { apiKeysRouter } from './auth/api-keys.routes.ts';
import { ociAuthentication, type OciAuthMode } from './auth/oci-authentication.ts';
import {
  createSessionRepository,
  DEFAULT_SESSION_CONFIG,
  type SessionConfig,
} from './auth/sessions.repository.ts';
import { createUsersRepository } from './auth/users.repository.ts';
import { createBackend } from './backend.ts';
import type { Clock } from './clock.ts';
import { consoleRouter } from './console-api/console.routes.ts';
import { reachabilityRouter } from './console-api/reachability.routes.ts';
import { importRouter } from './console-api/import.routes.ts';
import type { Db } from './db/open-db.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { exportRouter } from './export/export.routes.ts';
import { createRetryTokenRepository } from './idempotency/retry-tokens.repository.ts';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  jsonBody,
  parseQuery,
  rejectBracketQueryKeys,
  rejectPrototypeKeys,
  requireJsonBody,
} from './http/parse.ts';
import { requestId } from './http/request-id.ts';
import { createLifecycle } from './jobs/lifecycle.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import { createJsonLogger, type Logger } from './logger.ts';
import { migrationsRouter } from './migrations/migrations.routes.ts';
import { createMigrationService } from './migrations/migrations.service.ts';
import { ociResourceRouter } from './resources/oci-resource.routes.ts';
import { RESOURCE_KINDS } from './resources/resource-store.ts';
import {
  registerResourceLifecycle,
  type ResourceLifecycleConfig,
} from './work-requests/resource-lifecycle.ts';
import { securityHeaders } from './http/security-headers.ts';
import { consoleWorkRequestsRouter } from './work-requests/work-requests.console-routes.ts';
import { workRequestsRouter } from './work-requests/work-requests.routes.ts';

export interface AppConfig {
  /** Largest accepted request body (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Folder of the built console; served with an SPA fallback when it exists. */
  consoleDir?: string;
  /** The proxy image `/20220615/proxyDetails` names. */
  proxyImage?: string;
  /** OCI face authentication (docs/api.md): `signature` (default) or `none` (unsigned calls). */
  ociAuth?: OciAuthMode;
  /** Demo mode: the clock may be advanced (`POST /api/demo/clock/advance`). */
  demo?: boolean;
  /** 32 bytes that encrypt private keys at rest (server.ts loads it); random when absent. */
  secretKey?: Uint8Array;
  /** OCI write lifecycle: step delay, DELETED retention (docs/decisions/004-oci-lifecycle.md). */
  resourceLifecycle?: ResourceLifecycleConfig;
  /** Console session idle and absolute expiry (docs/decisions/007-sign-in-roles-audit.md). */
  session?: Partial<SessionConfig>;
  /** The first-run setup token; random (and logged) when absent. */
  setupToken?: string;
  /** Per-client rate limits: sign-in per address and per account, API per session or key. */
  rateLimits?: Partial<RateLimitConfig>;
}

export interface AppDeps {
  db: Db;
  clock: Clock;
  /**
   * Real time, against which signed request dates are checked (the demo clock may be advanced
   * by days, clients' clocks are not). Default: `clock`.
   */
  wallClock?: Clock;
  logger?: Logger;
  config?: AppConfig;
  /** The job runner (server.ts starts it, tests call `runDue`); one never started when absent. */
  runner?: JobRunner;
}

export const DEFAULT_PROXY_IMAGE = 'docker.io/envoyproxy/envoy:v1.31.0';

/** The Express app of the BFF. It never listens; server.ts and the tests do. */
export function createApp(deps: AppDeps): Express {
  const logger = deps.logger ?? createJsonLogger();
  const config = deps.config ?? {};
  const limit = config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const backend = createBackend(deps.db, deps.clock);
  const lifecycle = createLifecycle({
    db: deps.db,
    clock: deps.clock,
    logger,
    backend,
    runner: deps.runner,
    demo: config.demo,
    secretKey: config.secretKey,
  });
  registerResourceLifecycle(lifecycle.runner, {
    db: deps.db,
    backend,
    clock: deps.clock,
    logger,
    ...(config.resourceLifecycle ? { config: config.resourceLifecycle } : {}),
  });
  const migrations = createMigrationService({
    db: deps.db,
    clock: deps.clock,
    backend,
    wake: () => lifecycle.runner.wake(),
  });
  migrations.registerJob(lifecycle.runner);
  const apiKeys = createApiKeyRepository(deps.db, deps.clock);
  const ociAuthMode = config.ociAuth ?? 'signature';
  if (ociAuthMode === 'none') {
    logger.warn(
      'OCI REQUEST SIGNATURES ARE OFF (ociAuth=none): anyone who reaches /20220615 can change meshes',
    );
  }
  const wallClock = deps.wallClock ?? deps.clock;
  const users = createUsersRepository(deps.db, deps.clock, apiKeys, backend.audit);
  const sessionConfig = { ...DEFAULT_SESSION_CONFIG, ...config.session };
  const setupToken = config.setupToken ?? randomBytes(18).toString('base64url');
  if (!users.anyoneCanSignIn()) {
    logger.warn(
      `FIRST RUN: no user can sign in yet. Open the console and enter the setup token ${setupToken} ` +
        'to create the first admin (or: npm run meshdeck -- user create --name NAME --role admin --password-stdin)',
      { setupToken },
    );
  }
  const access = createAccess({
    users,
    sessions: createSessionRepository(deps.db, wallClock, sessionConfig),
    sessionConfig,
    audit: backend.audit,
    logger,
    setupToken,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...config.rateLimits },
    now: () => wallClock.now().getTime(),
  });
  const auth = ociAuthentication({
    mode: ociAuthMode,
    apiKeys,
    clock: wallClock,
    logger,
  });

  const app = express();
  app.disable('x-powered-by');
  // Our `etag` header is the resource version; Express's body hash would only confuse it.
  app.set('etag', false);
  app.set('query parser', parseQuery);
  app.use(requestId());
  app.use(securityHeaders());
  app.use(['/api', '/20220615'], rejectBracketQueryKeys);

  const oci = Router();
  oci.use(
    auth.signature,
    access.ociAccess,
    requireJsonBody,
    jsonBody(limit),
    auth.bodyDigest,
    rejectPrototypeKeys,
  );
  const retryTokens = createRetryTokenRepository(deps.db, deps.clock);
  for (const kind of RESOURCE_KINDS) {
    oci.use(
      ociResourceRouter(kind, {
        ...backend,
        db: deps.db,
        retryTokens,
        wake: () => lifecycle.runner.wake(),
      }),
    );
  }
  oci.use(
    workRequestsRouter({ db: deps.db, clock: deps.clock, workRequests: backend.workRequests }),
  );
  oci.get('/proxyDetails', (_req, res) => {
    res.json({ proxyImage: config.proxyImage ?? DEFAULT_PROXY_IMAGE });
  });
  app.use('/20220615', oci);

  const api = Router();
  // Views carry a resource's etag (for if-match) but also its children, findings and related
  // resources, which change without it: never answer from a cache (a 304 on a mesh's etag showed
  // the mesh without the services added since). Express answers 304 to a matching if-none-match.
  api.use((req, res, next) => {
    delete req.headers['if-none-match'];
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(['/session', '/setup'], requireJsonBody, jsonBody(limit), rejectPrototypeKeys);
  api.use(access.sessionRoutes);
  api.use(access.requireSession);
  api.use(importRouter({ db: deps.db, clock: deps.clock, ...backend }, limit));
  api.use(requireJsonBody, jsonBody(limit), rejectPrototypeKeys);
  api.use(consoleRouter({ ...backend, ping: () => void deps.db.prepare('SELECT 1').get() }));
  api.use(reachabilityRouter(backend));
  api.use(exportRouter({ stores: backend.stores, clock: deps.clock }));
  api.use(lifecycle.router);
  api.use(migrationsRouter({ clock: deps.clock, backend, migrations }));
  api.use(apiKeysRouter(apiKeys, users, backend.audit, access.releaseSignInHold));
  api.use(auditRouter(backend.audit));
  api.use(consoleWorkRequestsRouter(backend.workRequests));
  app.use('/api', api);

  if (config.consoleDir && existsSync(join(config.consoleDir, 'index.html'))) {
    const consoleDir = config.consoleDir;
    app.use(express.static(consoleDir, { index: false }));
    app.use((req, res, next) => {
      const apiPath = /^\/(api|20220615)(\/|$)/.test(req.path);
      // A missing built file is a 404, not the app's page served as JavaScript.
      const assetPath = req.path.startsWith('/assets/');
      if ((req.method !== 'GET' && req.method !== 'HEAD') || apiPath || assetPath) return next();
      res.sendFile(join(consoleDir, 'index.html'));
    });
  }

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
