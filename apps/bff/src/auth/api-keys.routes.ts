import { CreateUserSchema, UpdateUserSchema } from '@meshdeck/domain';
import { Router } from 'express';
import { z } from 'zod';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { queryValue } from '../http/parse.ts';
import { parseInput } from '../resources/parse-input.ts';
import { generateApiKeyPair } from './api-key-crypto.ts';
import type { ApiKey, ApiKeyRepository, ApiUser } from './api-keys.repository.ts';
import { ociConfigSnippet } from './oci-config.ts';
import { hashPassword } from './password.ts';
import { userView, type UsersRepository } from './users.repository.ts';

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
 * `npm run meshdeck -- user|apikey …` does. Admins only (auth/access.ts); every change is audited.
 */
export function apiKeysRouter(
  apiKeys: ApiKeyRepository,
  users: UsersRepository,
  audit: AuditRepository,
  /** Lifts a sign-in hold (too many failed sign-ins) once an admin resets or re-enables the user. */
  releaseSignInHold: (name: string) => void = () => {},
): Router {
  const router = Router();
  const userNamed = (name: string): ApiUser => {
    const user = apiKeys.findUserByName(name);
    if (!user) throw new NotFoundError(`user ${name} not found`);
    return user;
  };

  router.get('/users', (_req, res) => {
    res.json({ items: users.list().map(userView) });
  });

  router.post('/users', async (req, res) => {
    const parsed = parseInput(CreateUserSchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    const { name, role, password } = parsed.data;
    const passwordHash = password !== undefined ? await hashPassword(password) : undefined;
    const account = users.create({ name, role, ...(passwordHash ? { passwordHash } : {}) });
    res.status(201).json(userView(account));
  });

  router.patch('/users/:name', async (req, res) => {
    const parsed = parseInput(UpdateUserSchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    const { password, ...change } = parsed.data;
    const passwordHash = password !== undefined ? await hashPassword(password) : undefined;
    const account = users.update(req.params.name as string, {
      ...change,
      ...(passwordHash ? { passwordHash } : {}),
    });
    if (passwordHash !== undefined || change.disabled === false) releaseSignInHold(account.name);
    res.json(userView(account));
  });

  router.get('/api-keys', (req, res) => {
    const name = queryValue(req.query, 'user');
    const users = new Map(apiKeys.listUsers().map((u) => [u.id, u]));
    const keys = apiKeys.listKeys(name !== undefined ? userNamed(name).id : undefined);
    res.json({ items: keys.map((k) => keyView(k, users.get(k.userId))) });
  });

  const auditKey = (action: string, key: ApiKey, user: ApiUser | undefined, before?: ApiKey) =>
    audit.record({
      kind: 'ApiKey',
      action,
      resourceId: `${key.userId}/${key.fingerprint}`,
      ...(before ? { before: keyView(before, user) } : {}),
      after: keyView(key, user),
    });

  router.post('/api-keys', (req, res) => {
    const parsed = parseInput(CreateKeySchema, req.body);
    if (!parsed.ok) throw new ValidationError(parsed.fieldErrors);
    const user = userNamed(parsed.data.user);
    if (parsed.data.publicKey !== undefined) {
      const key = apiKeys.addKey(user.id, parsed.data.publicKey);
      auditKey('CREATE', key, user);
      res.status(201).json(keyView(key, user));
      return;
    }
    const pair = generateApiKeyPair();
    const key = apiKeys.addKey(user.id, pair.publicKeyPem);
    auditKey('CREATE', key, user);
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

  router.delete('/api-keys/:userId/:fingerprint', (req, res) => {
    const key = apiKeys.revokeKey(
      req.params.userId as string,
      (req.params.fingerprint as string).toLowerCase(),
    );
    auditKey('DELETE', key, apiKeys.getUser(key.userId));
    res.status(204).end();
  });

  return router;
}
