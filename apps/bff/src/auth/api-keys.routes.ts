import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { NotAuthorizedError, NotFoundError, ValidationError } from '../errors.ts';
import { queryValue } from '../http/parse.ts';
import { parseInput } from '../resources/parse-input.ts';
import { generateApiKeyPair } from './api-key-crypto.ts';
import type { ApiKey, ApiKeyRepository, ApiUser } from './api-keys.repository.ts';
import { ociConfigSnippet } from './oci-config.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Until console sign-in and the admin role exist (TODO(#8)), whoever reaches `/api` could mint
 * credentials for the OCI face; so users and keys change only from this machine (or with the
 * CLI). Reads show public data only (fingerprints, public keys).
 */
const fromThisMachineOnly: RequestHandler = (req, _res, next) => {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
    throw new NotAuthorizedError(
      'users and API keys can be changed only from the Meshdeck host until sign-in exists; use `npm run meshdeck` there',
    );
  }
  next();
};

const CreateUserSchema = z.strictObject({ name: z.string().min(1).max(128) });
const CreateKeySchema = z.strictObject({
  /** The user's name. */
  user: z.string().min(1).max(128),
  /** A PEM public key to register; omitted: Meshdeck generates a pair and returns the private key once. */
  publicKey: z.string().min(1).max(16384).optional(),
});

function keyView(key: ApiKey, user: ApiUser | undefined) {
  return {
    userId: key.userId,
    userName: user?.name,
    tenancyId: user?.tenancyId,
    fingerprint: key.fingerprint,
    keyId: user ? `${user.tenancyId}/${user.id}/${key.fingerprint}` : undefined,
    publicKey: key.publicKeyPem,
    lifecycleState: key.timeRevoked ? 'DELETED' : 'ACTIVE',
    timeCreated: key.timeCreated,
    ...(key.timeRevoked ? { timeRevoked: key.timeRevoked } : {}),
  };
}

/**
 * `/api/users` and `/api/api-keys` (docs/api.md): the console's way to do what
 * `npm run meshdeck -- user|apikey …` does.
 */
export function apiKeysRouter(apiKeys: ApiKeyRepository): Router {
  const router = Router();
  const userNamed = (name: string): ApiUser => {
    const user = apiKeys.findUserByName(name);
    if (!user) throw new NotFoundError(`user ${name} not found`);
    return user;
  };

  router.get('/users', (_req, res) => {
    res.json({ items: apiKeys.listUsers() });
  });

  router.post('/users', fromThisMachineOnly, (req, res) => {
    const parsed = parseInput(CreateUserSchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    res.status(201).json(apiKeys.createUser(parsed.data.name));
  });

  router.get('/api-keys', (req, res) => {
    const name = queryValue(req.query, 'user');
    const users = new Map(apiKeys.listUsers().map((u) => [u.id, u]));
    const keys = apiKeys.listKeys(name !== undefined ? userNamed(name).id : undefined);
    res.json({ items: keys.map((k) => keyView(k, users.get(k.userId))) });
  });

  router.post('/api-keys', fromThisMachineOnly, (req, res) => {
    const parsed = parseInput(CreateKeySchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    const user = userNamed(parsed.data.user);
    if (parsed.data.publicKey !== undefined) {
      const key = apiKeys.addKey(user.id, parsed.data.publicKey);
      res.status(201).json(keyView(key, user));
      return;
    }
    const pair = generateApiKeyPair();
    const key = apiKeys.addKey(user.id, pair.publicKeyPem);
    res.status(201).json({
      ...keyView(key, user),
      // Shown once: Meshdeck keeps only the public key.
      privateKey: pair.privateKeyPem,
      config: ociConfigSnippet({
        userId: user.id,
        tenancyId: user.tenancyId,
        fingerprint: key.fingerprint,
        keyFile: '~/.oci/meshdeck.pem',
      }),
    });
  });

  router.delete('/api-keys/:userId/:fingerprint', fromThisMachineOnly, (req, res) => {
    apiKeys.revokeKey(
      req.params.userId as string,
      (req.params.fingerprint as string).toLowerCase(),
    );
    res.status(204).end();
  });

  return router;
}
