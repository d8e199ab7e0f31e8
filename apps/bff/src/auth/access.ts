import {
  FirstRunSchema,
  ROLE_PERMISSIONS,
  roleCan,
  SignInSchema,
  type Permission,
  type SessionView,
} from '@meshdeck/domain';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { runAs, type Actor, type RequestContext } from '../audit/actor-context.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import {
  ConflictError,
  NotAuthenticatedError,
  NotAuthorizedError,
  ValidationError,
} from '../errors.ts';
import { createRateLimiter, TooManyRequestsError, type RateLimit } from '../http/rate-limit.ts';
import { requestIdOf } from '../http/request-id.ts';
import type { Logger } from '../logger.ts';
import { parseInput } from '../resources/parse-input.ts';
import {
  clearSessionCookie,
  isCrossSite,
  sessionIdOf,
  setSessionCookie,
} from './console-session.ts';
import { principalOf } from './oci-authentication.ts';
import { hashPassword, verifyPassword } from './password.ts';
import type { SessionConfig, SessionRepository } from './sessions.repository.ts';
import type { Account, UsersRepository } from './users.repository.ts';

export interface RateLimitConfig {
  /** Sign-in and setup attempts per client address (default 20 a minute). */
  signInPerAddress: RateLimit;
  /** Failed sign-ins per account before it is held (default 5 in 15 minutes). */
  signInFailuresPerAccount: RateLimit;
  /** Requests per session, API key or (unsigned OCI calls) address (default 1200 a minute). */
  api: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  signInPerAddress: { limit: 20, windowSeconds: 60 },
  signInFailuresPerAccount: { limit: 5, windowSeconds: 900 },
  api: { limit: 1200, windowSeconds: 60 },
};

export interface AccessDeps {
  users: UsersRepository;
  sessions: SessionRepository;
  sessionConfig: SessionConfig;
  audit: AuditRepository;
  logger: Logger;
  /** The first-run token; the setup endpoint compares against it. */
  setupToken: string;
  rateLimits: RateLimitConfig;
  /** Real time in ms (rate limit windows). */
  now: () => number;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Path areas of `/api` only admins reach (reads too: they list people and keys). */
const ADMIN_AREAS = /^\/(users|api-keys)(\/|$)/;

/** What a request needs: reads need `read`, writes `write`, users and keys `admin`. */
export function permissionFor(face: 'api' | 'oci', method: string, path: string): Permission {
  if (face === 'api' && ADMIN_AREAS.test(path)) return 'admin';
  return SAFE_METHODS.has(method) ? 'read' : 'write';
}

const KIND_OF_AREA: Record<string, string> = {
  meshes: 'Mesh',
  'virtual-services': 'VirtualService',
  virtualServices: 'VirtualService',
  virtualDeployments: 'VirtualDeployment',
  'virtual-deployments': 'VirtualDeployment',
  virtualServiceRouteTables: 'VirtualServiceRouteTable',
  ingressGateways: 'IngressGateway',
  ingressGatewayRouteTables: 'IngressGatewayRouteTable',
  accessPolicies: 'AccessPolicy',
  users: 'User',
  'api-keys': 'ApiKey',
  migrations: 'Migration',
  certificates: 'Certificate',
  import: 'Import',
};

/** The audit's kind and ids for a request that did not record itself (fallback, refusals). */
function describePath(path: string): { kind: string; resourceId?: string; meshId?: string } {
  const [area = '', id] = path.split('/').filter(Boolean);
  const kind = KIND_OF_AREA[area] ?? (area || 'Request');
  const resourceId = id && id.startsWith('ocid1.') ? id : undefined;
  return {
    kind,
    ...(resourceId ? { resourceId } : {}),
    ...(resourceId && kind === 'Mesh' ? { meshId: resourceId } : {}),
  };
}

function addressOf(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Console sign-in and role enforcement on both faces (docs/decisions/007-sign-in-roles-audit.md).
 * `sessionRoutes` serve `/api/session` and `/api/setup`; `requireSession` guards the rest of
 * `/api`; `ociAccess` applies the API key user's role on `/20220615`. Both guards run the request
 * as its actor (audit/actor-context.ts), record refused attempts, and record writes that no
 * service recorded.
 */
export function createAccess(deps: AccessDeps) {
  const { users, sessions, audit, logger } = deps;
  const byAddress = createRateLimiter(deps.rateLimits.signInPerAddress, deps.now);
  const failures = createRateLimiter(deps.rateLimits.signInFailuresPerAccount, deps.now);
  const apiLimiter = createRateLimiter(deps.rateLimits.api, deps.now);

  const limitApi = (key: string) => {
    const wait = apiLimiter.hit(key);
    if (wait !== undefined) throw new TooManyRequestsError('too many requests; slow down', wait);
  };

  const refuse = (
    req: Request,
    res: Response,
    actor: Actor,
    message: string,
    extra: { status?: number } = {},
  ): never => {
    const path = `${req.baseUrl}${req.path}`;
    audit.record({
      ...describePath(req.path),
      action: `${req.method} ${path}`,
      outcome: 'REFUSED',
      status: extra.status ?? 403,
      message,
      actor,
      requestId: requestIdOf(res),
    });
    logger.warn('request refused', {
      requestId: requestIdOf(res),
      method: req.method,
      path,
      actor: actor.name,
      role: actor.role,
      reason: message,
    });
    throw new NotAuthorizedError(message);
  };

  /** Runs the rest of the request as `actor`; records the write afterwards if nothing did. */
  const proceed = (req: Request, res: Response, actor: Actor, next: () => void) => {
    const context: RequestContext = { actor, requestId: requestIdOf(res), recorded: 0 };
    if (!SAFE_METHODS.has(req.method)) {
      const path = `${req.baseUrl}${req.path}`;
      res.on('finish', () => {
        if (res.statusCode >= 400 || context.recorded > 0) return;
        try {
          audit.record({
            ...describePath(req.path),
            action: `${req.method} ${path}`,
            status: res.statusCode,
            actor,
            requestId: context.requestId ?? '',
          });
        } catch (error) {
          logger.error('could not record an audit event', { requestId: context.requestId, error });
        }
      });
    }
    runAs(context, next);
  };

  const checkRole = (req: Request, res: Response, actor: Actor, face: 'api' | 'oci') => {
    const needed = permissionFor(face, req.method, req.path);
    if (!roleCan(actor.role, needed)) {
      const what = needed === 'admin' ? 'manage users and API keys' : 'change anything';
      refuse(req, res, actor, `the ${actor.role} role cannot ${what}`);
    }
  };

  const liveSession = (req: Request) => {
    const id = sessionIdOf(req);
    if (!id) return undefined;
    const session = sessions.find(id);
    if (!session) return undefined;
    const account = users.get(session.userId);
    if (!account || account.timeDisabled) {
      sessions.remove(id);
      return undefined;
    }
    return { id, session, account };
  };

  const sessionView = (
    found: NonNullable<ReturnType<typeof liveSession>>,
  ): SessionView & { signedIn: true } => ({
    signedIn: true,
    user: { id: found.account.id, name: found.account.name, role: found.account.role },
    permissions: [...ROLE_PERMISSIONS[found.account.role]],
    csrfToken: found.session.csrfToken,
    timeExpires: found.session.timeExpires,
  });

  const startSession = (req: Request, res: Response, account: Account) => {
    const { id, session } = sessions.create(account.id);
    setSessionCookie(req, res, id, deps.sessionConfig.absoluteSeconds);
    return sessionView({ id, session, account });
  };

  const consoleActor = (account: Account, via: Actor['via'] = 'console'): Actor => ({
    userId: account.id,
    name: account.name,
    role: account.role,
    via,
  });

  const refuseCrossSite = (req: Request) => {
    if (isCrossSite(req)) throw new NotAuthorizedError('requests from other sites are refused');
  };

  const limitSignIn = (req: Request) => {
    const wait = byAddress.hit(addressOf(req));
    if (wait !== undefined) {
      throw new TooManyRequestsError('too many sign-in attempts from this address; wait', wait);
    }
  };

  const sessionRoutes = Router();

  sessionRoutes.get('/session', (req, res) => {
    const found = liveSession(req);
    const view: SessionView = found
      ? sessionView(found)
      : { signedIn: false, setupRequired: !users.anyoneCanSignIn() };
    res.setHeader('Cache-Control', 'no-store');
    res.json(view);
  });

  sessionRoutes.post('/session', async (req, res) => {
    refuseCrossSite(req);
    limitSignIn(req);
    const parsed = parseInput(SignInSchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    const { name, password } = parsed.data;
    const accountKey = name.toLowerCase();
    const held = failures.blocked(accountKey);
    if (held !== undefined) {
      throw new TooManyRequestsError('too many failed sign-ins for this user; wait', held);
    }
    const account = users.findByName(name);
    const ok = await verifyPassword(password, account?.passwordHash);
    if (!ok || !account || account.timeDisabled) {
      failures.hit(accountKey);
      audit.record({
        kind: 'Session',
        action: 'SIGN_IN',
        outcome: 'REFUSED',
        status: 401,
        message: !ok ? 'wrong user name or password' : 'user disabled',
        actor: { name, role: 'viewer', via: 'console', ...(account ? { userId: account.id } : {}) },
        requestId: requestIdOf(res),
      });
      throw new NotAuthenticatedError(
        ok ? 'user disabled' : 'wrong password or unknown user',
        'wrong user name or password',
      );
    }
    failures.reset(accountKey);
    const view = startSession(req, res, account);
    audit.record({
      kind: 'Session',
      action: 'SIGN_IN',
      resourceId: account.id,
      actor: consoleActor(account),
      requestId: requestIdOf(res),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(view);
  });

  sessionRoutes.delete('/session', (req, res) => {
    const found = liveSession(req);
    if (found) {
      checkCsrf(req, found.session.csrfToken);
      sessions.remove(found.id);
      audit.record({
        kind: 'Session',
        action: 'SIGN_OUT',
        resourceId: found.account.id,
        actor: consoleActor(found.account),
        requestId: requestIdOf(res),
      });
    }
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  sessionRoutes.post('/setup', async (req, res) => {
    refuseCrossSite(req);
    limitSignIn(req);
    if (users.anyoneCanSignIn()) {
      throw new ConflictError('setup is done: sign in, or ask an admin for an account');
    }
    const parsed = parseInput(FirstRunSchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    const { token, name, password } = parsed.data;
    if (!constantTimeEqual(token, deps.setupToken)) {
      audit.record({
        kind: 'Session',
        action: 'SETUP',
        outcome: 'REFUSED',
        status: 403,
        message: 'wrong setup token',
        actor: { name, role: 'viewer', via: 'console' },
        requestId: requestIdOf(res),
      });
      throw new NotAuthorizedError(
        'wrong setup token: use the one the server printed when it started',
      );
    }
    const passwordHash = await hashPassword(password);
    // Checked again: another setup may have finished while the password was hashed.
    if (users.anyoneCanSignIn()) {
      throw new ConflictError('setup is done: sign in, or ask an admin for an account');
    }
    const actor: Actor = { name, role: 'admin', via: 'console' };
    const account = runAs({ actor, requestId: requestIdOf(res), recorded: 0 }, () =>
      users.create({ name, role: 'admin', passwordHash }),
    );
    logger.info('first-run setup created the first admin', { user: account.name });
    res.status(201).json(startSession(req, res, account));
  });

  function checkCsrf(req: Request, expected: string) {
    const given = req.get('x-csrf-token');
    if (isCrossSite(req)) throw new NotAuthorizedError('requests from other sites are refused');
    if (given === undefined || !constantTimeEqual(given, expected)) {
      throw new NotAuthorizedError(
        'missing or wrong x-csrf-token header (read it from GET /api/session)',
      );
    }
  }

  const requireSession: RequestHandler = (req, res, next) => {
    if (req.method === 'GET' && (req.path === '/health' || req.path === '/health/ready')) {
      return next();
    }
    const found = liveSession(req);
    if (!found) {
      throw new NotAuthenticatedError('no live session', 'sign in first (POST /api/session)');
    }
    limitApi(`session:${found.id}`);
    const actor = consoleActor(
      found.account,
      /^\/import(\/|$)/.test(req.path) ? 'import' : 'console',
    );
    if (!SAFE_METHODS.has(req.method)) {
      try {
        checkCsrf(req, found.session.csrfToken);
      } catch (error) {
        if (error instanceof NotAuthorizedError) refuse(req, res, actor, error.message);
        throw error;
      }
    }
    checkRole(req, res, actor, 'api');
    proceed(req, res, actor, next);
  };

  /** After the signature check: the key's user and role, or `anonymous` (an operator) when off. */
  const ociAccess: RequestHandler = (req, res, next) => {
    const principal = principalOf(res);
    let actor: Actor;
    if (principal) {
      const account = users.get(principal.userId);
      if (!account || account.timeDisabled) {
        throw new NotAuthenticatedError('the key belongs to a disabled user');
      }
      actor = consoleActor(account, 'api');
      limitApi(`key:${principal.userId}/${principal.fingerprint}`);
    } else {
      actor = { name: 'anonymous', role: 'operator', via: 'api' };
      limitApi(`address:${addressOf(req)}`);
    }
    checkRole(req, res, actor, 'oci');
    proceed(req, res, actor, next);
  };

  /** An admin reset the user's password or re-enabled them: lift a sign-in hold on the account. */
  const releaseSignInHold = (name: string) => failures.reset(name.toLowerCase());

  return { sessionRoutes, requireSession, ociAccess, releaseSignInHold };
}
