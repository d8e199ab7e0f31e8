import type { Role, UserView } from '@meshdeck/domain';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Clock } from '../clock.ts';
import { inTransaction, prepare, type Db } from '../db/open-db.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { ApiKeyRepository } from './api-keys.repository.ts';

/** A user with what sign-in and roles need (0006 columns). */
export interface Account {
  id: string;
  name: string;
  tenancyId: string;
  role: Role;
  passwordHash: string | undefined;
  timeCreated: string;
  timeDisabled: string | undefined;
}

export interface UsersRepository {
  get(id: string): Account | undefined;
  findByName(name: string): Account | undefined;
  list(): Account[];
  /** Whether any user can sign in (has a password): the first-run setup works only while none. */
  anyoneCanSignIn(): boolean;
  /** Creates a user; `passwordHash` from auth/password.ts (hashed before the transaction). */
  create(input: { name: string; role: Role; passwordHash?: string }): Account;
  update(name: string, change: { role?: Role; disabled?: boolean; passwordHash?: string }): Account;
}

type Row = Record<string, unknown>;

function accountOf(row: Row): Account {
  return {
    id: row.id as string,
    name: row.name as string,
    tenancyId: row.tenancy_id as string,
    role: row.role as Role,
    passwordHash: (row.password_hash as string | null) ?? undefined,
    timeCreated: row.time_created as string,
    timeDisabled: (row.time_disabled as string | null) ?? undefined,
  };
}

/** What `GET /api/users` shows and the audit keeps: never the password hash. */
export function userView(account: Account): UserView {
  return {
    id: account.id,
    name: account.name,
    tenancyId: account.tenancyId,
    role: account.role,
    hasPassword: account.passwordHash !== undefined,
    disabled: account.timeDisabled !== undefined,
    timeCreated: account.timeCreated,
    ...(account.timeDisabled ? { timeDisabled: account.timeDisabled } : {}),
  };
}

export function createUsersRepository(
  db: Db,
  clock: Clock,
  apiKeys: ApiKeyRepository,
  audit: AuditRepository,
): UsersRepository {
  const get = (id: string) => {
    const row = prepare(db, 'SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return row ? accountOf(row) : undefined;
  };
  const findByName = (name: string) => {
    const row = prepare(db, 'SELECT * FROM users WHERE name = ?').get(name) as Row | undefined;
    return row ? accountOf(row) : undefined;
  };
  return {
    get,
    findByName,
    list: () => (prepare(db, 'SELECT * FROM users ORDER BY name').all() as Row[]).map(accountOf),
    anyoneCanSignIn: () =>
      prepare(db, 'SELECT 1 FROM users WHERE password_hash IS NOT NULL LIMIT 1').get() !==
      undefined,
    create(input) {
      return inTransaction(db, () => {
        const user = apiKeys.createUser(input.name);
        prepare(db, 'UPDATE users SET role = ?, password_hash = ? WHERE id = ?').run(
          input.role,
          input.passwordHash ?? null,
          user.id,
        );
        const account = get(user.id) as Account;
        audit.record({
          kind: 'User',
          action: 'CREATE',
          resourceId: account.id,
          after: userView(account),
        });
        return account;
      });
    },
    update(name, change) {
      return inTransaction(db, () => {
        const before = findByName(name);
        if (!before) throw new NotFoundError(`user ${name} not found`);
        const role = change.role ?? before.role;
        const disabled =
          change.disabled === undefined ? before.timeDisabled !== undefined : change.disabled;
        // Someone must be able to manage users: the last active admin stays one.
        if (before.role === 'admin' && (role !== 'admin' || disabled)) {
          const admins = prepare(
            db,
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND time_disabled IS NULL AND id <> ?",
          )
            .pluck()
            .get(before.id) as number;
          if (admins === 0) {
            throw new ConflictError(`${name} is the last admin; make another user admin first`);
          }
        }
        const timeDisabled = disabled ? (before.timeDisabled ?? clock.now().toISOString()) : null;
        prepare(
          db,
          'UPDATE users SET role = ?, time_disabled = ?, password_hash = ? WHERE id = ?',
        ).run(role, timeDisabled, change.passwordHash ?? before.passwordHash ?? null, before.id);
        // A new role, a disable or a new password ends the user's sessions.
        prepare(db, 'DELETE FROM sessions WHERE user_id = ?').run(before.id);
        const after = get(before.id) as Account;
        audit.record({
          kind: 'User',
          action: 'UPDATE',
          resourceId: after.id,
          before: userView(before),
          after: { ...userView(after), ...(change.passwordHash ? { passwordChanged: true } : {}) },
        });
        return after;
      });
    },
  };
}
