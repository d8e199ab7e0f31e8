import { UserNameSchema } from '@meshdeck/domain';
import type { Clock } from '../clock.ts';
import { inTransaction, prepare, type Db } from '../db/open-db.ts';
import { ConflictError, InvalidParameterError, NotFoundError } from '../errors.ts';
import { newOcid } from '../ids.ts';
import { readPublicKey } from './api-key-crypto.ts';

/** Someone who calls the OCI face with API keys (spec §9). */
export interface ApiUser {
  id: string;
  tenancyId: string;
  name: string;
  timeCreated: string;
}

/** A registered public key; `timeRevoked` set means it verifies nothing. */
export interface ApiKey {
  userId: string;
  fingerprint: string;
  publicKeyPem: string;
  timeCreated: string;
  timeRevoked?: string;
}

export interface ApiKeyRepository {
  /** The tenancy OCID clients put in their keyId: the same for every user of this Meshdeck. */
  tenancyId(): string;
  createUser(name: string): ApiUser;
  findUserByName(name: string): ApiUser | undefined;
  getUser(id: string): ApiUser | undefined;
  listUsers(): ApiUser[];
  /** Registers a public key for a user; registering a revoked key again revives it. */
  addKey(userId: string, publicKeyPem: string): ApiKey;
  listKeys(userId?: string): ApiKey[];
  revokeKey(userId: string, fingerprint: string): ApiKey;
  /** The live key a keyId names, with its user; undefined when any part does not match. */
  findActiveKey(
    tenancyId: string,
    userId: string,
    fingerprint: string,
  ): { user: ApiUser; key: ApiKey } | undefined;
}

type Row = Record<string, unknown>;

function userFromRow(row: Row): ApiUser {
  return {
    id: row.id as string,
    tenancyId: row.tenancy_id as string,
    name: row.name as string,
    timeCreated: row.time_created as string,
  };
}

function keyFromRow(row: Row): ApiKey {
  return {
    userId: row.user_id as string,
    fingerprint: row.fingerprint as string,
    publicKeyPem: row.public_key_pem as string,
    timeCreated: row.time_created as string,
    ...(row.time_revoked != null ? { timeRevoked: row.time_revoked as string } : {}),
  };
}

export function createApiKeyRepository(db: Db, clock: Clock): ApiKeyRepository {
  const getUser = (id: string) => {
    const row = prepare(db, 'SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return row ? userFromRow(row) : undefined;
  };
  const tenancyId = () =>
    (prepare(db, 'SELECT tenancy_id FROM users ORDER BY time_created, id LIMIT 1').pluck().get() as
      string | undefined) ?? newOcid('tenancy');

  return {
    tenancyId,
    createUser(name) {
      // The domain's rule (what people type on a command line; no slashes, since keyIds are
      // `a/b/c`), also for the CLI, which has no zod parse of its own.
      const checked = UserNameSchema.safeParse(name);
      if (!checked.success) {
        throw new InvalidParameterError('name', checked.error.issues[0]?.message ?? 'invalid');
      }
      return inTransaction(db, () => {
        // Names differing only in case would read as one person in the audit and the console.
        const taken = prepare(db, 'SELECT name FROM users WHERE lower(name) = lower(?)')
          .pluck()
          .get(name) as string | undefined;
        if (taken !== undefined) {
          throw new ConflictError(
            taken === name
              ? `a user named ${name} already exists`
              : `a user named ${taken} already exists (names are compared ignoring case)`,
          );
        }
        const user: ApiUser = {
          id: newOcid('user'),
          tenancyId: tenancyId(),
          name,
          timeCreated: clock.now().toISOString(),
        };
        prepare(
          db,
          'INSERT INTO users (id, tenancy_id, name, time_created) VALUES (@id, @tenancyId, @name, @timeCreated)',
        ).run(user);
        return user;
      });
    },
    findUserByName(name) {
      const row = prepare(db, 'SELECT * FROM users WHERE name = ?').get(name) as Row | undefined;
      return row ? userFromRow(row) : undefined;
    },
    getUser,
    listUsers() {
      return (prepare(db, 'SELECT * FROM users ORDER BY name').all() as Row[]).map(userFromRow);
    },
    addKey(userId, publicKeyPem) {
      const { pem, fingerprint } = readPublicKey(publicKeyPem);
      return inTransaction(db, () => {
        if (!getUser(userId)) throw new NotFoundError(`user ${userId} not found`);
        const existing = prepare(
          db,
          'SELECT * FROM api_keys WHERE user_id = ? AND fingerprint = ?',
        ).get(userId, fingerprint) as Row | undefined;
        if (existing && existing.time_revoked == null) {
          throw new ConflictError(`the key ${fingerprint} is already registered for this user`);
        }
        const key: ApiKey = {
          userId,
          fingerprint,
          publicKeyPem: pem,
          timeCreated: clock.now().toISOString(),
        };
        prepare(
          db,
          `INSERT INTO api_keys (user_id, fingerprint, public_key_pem, time_created, time_revoked)
           VALUES (@userId, @fingerprint, @publicKeyPem, @timeCreated, NULL)
           ON CONFLICT (user_id, fingerprint) DO UPDATE SET
             public_key_pem = excluded.public_key_pem,
             time_created = excluded.time_created,
             time_revoked = NULL`,
        ).run(key);
        return key;
      });
    },
    listKeys(userId) {
      const rows = (
        userId === undefined
          ? prepare(db, 'SELECT * FROM api_keys ORDER BY time_created, fingerprint').all()
          : prepare(
              db,
              'SELECT * FROM api_keys WHERE user_id = ? ORDER BY time_created, fingerprint',
            ).all(userId)
      ) as Row[];
      return rows.map(keyFromRow);
    },
    revokeKey(userId, fingerprint) {
      return inTransaction(db, () => {
        const row = prepare(
          db,
          'SELECT * FROM api_keys WHERE user_id = ? AND fingerprint = ? AND time_revoked IS NULL',
        ).get(userId, fingerprint) as Row | undefined;
        if (!row) throw new NotFoundError(`no live key ${fingerprint} for user ${userId}`);
        const timeRevoked = clock.now().toISOString();
        prepare(
          db,
          'UPDATE api_keys SET time_revoked = ? WHERE user_id = ? AND fingerprint = ?',
        ).run(timeRevoked, userId, fingerprint);
        return { ...keyFromRow(row), timeRevoked };
      });
    },
    findActiveKey(tenancy, userId, fingerprint) {
      const user = getUser(userId);
      if (!user || user.tenancyId !== tenancy) return undefined;
      const row = prepare(
        db,
        'SELECT * FROM api_keys WHERE user_id = ? AND fingerprint = ? AND time_revoked IS NULL',
      ).get(userId, fingerprint.toLowerCase()) as Row | undefined;
      return row ? { user, key: keyFromRow(row) } : undefined;
    },
  };
}
