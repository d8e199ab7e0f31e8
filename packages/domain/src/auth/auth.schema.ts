import { z } from 'zod';

/** What a console user or an API key's user may do (docs/decisions/007-sign-in-roles-audit.md). */
export const RoleSchema = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** viewer: read; operator: read and change mesh resources; admin: also users and API keys. */
export type Permission = 'read' | 'write' | 'admin';

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  operator: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** User names: what people type on a command line; no slashes, since keyIds are `a/b/c`. */
export const USER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const UserNameSchema = z
  .string()
  .max(128, { error: 'must be at most 128 characters', abort: true })
  .regex(
    USER_NAME_PATTERN,
    'must start with a letter or digit and hold only letters, digits, . _ @ -',
  );

/** `POST /api/session`: sign in. */
export const SignInSchema = z.strictObject({
  name: z.string().min(1, 'enter your user name').max(128),
  password: z.string().min(1, 'enter your password').max(PASSWORD_MAX_LENGTH),
});
export type SignInInput = z.infer<typeof SignInSchema>;

/** `POST /api/setup`: the first admin, once, with the setup token from the server log. */
export const FirstRunSchema = z.strictObject({
  token: z.string().min(1, 'enter the setup token from the server log').max(256),
  name: UserNameSchema,
  password: PasswordSchema,
});
export type FirstRunInput = z.infer<typeof FirstRunSchema>;

/** `POST /api/users` (admin). */
export const CreateUserSchema = z.strictObject({
  name: UserNameSchema,
  role: RoleSchema.default('viewer'),
  /** Omitted: the user can only use API keys (no console sign-in). */
  password: PasswordSchema.optional(),
});
export type CreateUserInput = z.input<typeof CreateUserSchema>;

/** `PATCH /api/users/:name` (admin). */
export const UpdateUserSchema = z.strictObject({
  role: RoleSchema.optional(),
  disabled: z.boolean().optional(),
  password: PasswordSchema.optional(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserSchema>;

export interface SessionUserView {
  id: string;
  name: string;
  role: Role;
}

/** `GET /api/session`. */
export type SessionView =
  | { signedIn: false; setupRequired: boolean }
  | {
      signedIn: true;
      user: SessionUserView;
      permissions: Permission[];
      /** Send it as `x-csrf-token` on every write. */
      csrfToken: string;
      timeExpires: string;
    };

/** `GET /api/users` (admin). */
export interface UserView {
  id: string;
  name: string;
  tenancyId: string;
  role: Role;
  /** Whether the user can sign in to the console (has a password). */
  hasPassword: boolean;
  disabled: boolean;
  timeCreated: string;
  timeDisabled?: string;
}

export type AuditVia = 'console' | 'api' | 'import' | 'job' | 'cli';
export type AuditOutcome = 'SUCCEEDED' | 'REFUSED';

/** One recorded write or refused attempt (`GET /api/audit`). */
export interface AuditEventView {
  id: number;
  time: string;
  actor: string;
  actorId?: string;
  via: AuditVia;
  /** Resource kind (`Mesh`, `VirtualService`, `User`, ...) or, for other writes, the path's area. */
  kind: string;
  resourceId?: string;
  meshId?: string;
  /** CREATE, UPDATE, DELETE, MOVE, SIGN_IN, ... or `POST /api/...` for other writes. */
  action: string;
  outcome: AuditOutcome;
  status?: number;
  message?: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
}
