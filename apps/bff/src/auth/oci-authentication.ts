import type { RequestHandler, Response } from 'express';
import type { Clock } from '../clock.ts';
import { NotAuthenticatedError } from '../errors.ts';
import { rawBodyOf } from '../http/parse.ts';
import { requestIdOf } from '../http/request-id.ts';
import type { Logger } from '../logger.ts';
import type { ApiKeyRepository } from './api-keys.repository.ts';
import {
  verifyBodyDigest,
  verifyRequestSignature,
  type VerifiedSignature,
} from './request-signature.ts';

/**
 * How the OCI face authenticates: `signature` verifies OCI request signatures against registered
 * API keys (the default); `none` accepts unsigned calls (development, tests, demos; logged loudly).
 */
export type OciAuthMode = 'signature' | 'none';

/** The caller of a signed request. */
export interface Principal {
  userId: string;
  userName: string;
  tenancyId: string;
  fingerprint: string;
}

export interface OciAuthDeps {
  mode: OciAuthMode;
  apiKeys: ApiKeyRepository;
  clock: Clock;
  logger: Logger;
}

interface Verified {
  principal: Principal;
  signature: VerifiedSignature;
}

function verifiedOf(res: Response): Verified | undefined {
  return res.locals.ociAuth as Verified | undefined;
}

/** Who signed the request; undefined when authentication is off. */
export function principalOf(res: Response): Principal | undefined {
  return verifiedOf(res)?.principal;
}

/**
 * The two halves of request-signature authentication (spec §9): `signature` runs before the body
 * is read and refuses unsigned, badly signed, unknown-key and out-of-date requests; `bodyDigest`
 * runs after the JSON parser and refuses a body that does not hash to the signed
 * `x-content-sha256`. Both answer 401 NotAuthenticated and run before any handler, so a refused
 * request changes nothing.
 */
export function ociAuthentication(deps: OciAuthDeps): {
  signature: RequestHandler;
  bodyDigest: RequestHandler;
} {
  const refuse = (res: Response, error: unknown, method: string, path: string): never => {
    if (error instanceof NotAuthenticatedError) {
      deps.logger.warn('request not authenticated', {
        requestId: requestIdOf(res),
        method,
        path,
        reason: error.reason,
      });
    }
    throw error;
  };

  if (deps.mode === 'none') {
    const pass: RequestHandler = (_req, _res, next) => next();
    return { signature: pass, bodyDigest: pass };
  }

  return {
    signature: (req, res, next) => {
      try {
        let found: ReturnType<ApiKeyRepository['findActiveKey']>;
        const signature = verifyRequestSignature(
          req,
          (keyId) => {
            found = deps.apiKeys.findActiveKey(keyId.tenancyId, keyId.userId, keyId.fingerprint);
            return found?.key.publicKeyPem;
          },
          deps.clock.now(),
        );
        if (!found) throw new NotAuthenticatedError('the keyId names no registered key');
        const verified: Verified = {
          signature,
          principal: {
            userId: found.user.id,
            userName: found.user.name,
            tenancyId: found.user.tenancyId,
            fingerprint: found.key.fingerprint,
          },
        };
        res.locals.ociAuth = verified;
      } catch (error) {
        refuse(res, error, req.method, req.path);
      }
      next();
    },
    bodyDigest: (req, res, next) => {
      const verified = verifiedOf(res);
      try {
        if (!verified) throw new NotAuthenticatedError('signature middleware did not run');
        if (verified.signature.signedHeaders.includes('x-content-sha256')) {
          verifyBodyDigest(req, rawBodyOf(req));
        }
      } catch (error) {
        refuse(res, error, req.method, req.path);
      }
      next();
    },
  };
}
