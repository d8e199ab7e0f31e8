import {
  CreateUserSchema,
  issuesToFieldErrors,
  RoleSchema,
  type FieldErrors,
  type Role,
  type UserView,
} from '@meshdeck/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { SelectField, TextField } from '../../../components/ui/form-field.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { toast } from '../../../components/ui/toaster.tsx';
import { errorMessage } from '../../../lib/api-error.ts';
import { useCan, useSession } from '../../../lib/session.ts';
import { createUser, listApiKeys, listUsers, updateUser } from '../api/auth.api.ts';

const usersKey = ['users'] as const;
const keysKey = ['api-keys'] as const;

function UserRow({ user, self }: { user: UserView; self: boolean }) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (change: { role?: Role; disabled?: boolean }) => updateUser(user.name, change),
    onSuccess: (updated) => {
      toast(`${updated.name}: ${updated.role}${updated.disabled ? ', disabled' : ''}`);
      return queryClient.invalidateQueries({ queryKey: usersKey });
    },
    onError: (error) => toast(`Could not change ${user.name}: ${errorMessage(error)}`),
  });
  return (
    <tr>
      <th scope="row">
        {user.name}
        {self ? <span className="muted"> (you)</span> : null}
      </th>
      <td>
        <label className="visually-hidden" htmlFor={`role-${user.id}`}>
          Role of {user.name}
        </label>
        <select
          id={`role-${user.id}`}
          className="input select"
          value={user.role}
          disabled={mutation.isPending}
          onChange={(e) => mutation.mutate({ role: e.target.value as Role })}
        >
          {RoleSchema.options.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </td>
      <td>{user.hasPassword ? 'console and API keys' : 'API keys only'}</td>
      <td>{user.disabled ? 'disabled' : 'active'}</td>
      <td>
        <button
          type="button"
          className="button"
          disabled={mutation.isPending}
          onClick={() => mutation.mutate({ disabled: !user.disabled })}
        >
          {user.disabled ? `Enable ${user.name}` : `Disable ${user.name}`}
        </button>
      </td>
    </tr>
  );
}

function NewUserForm() {
  const queryClient = useQueryClient();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: createUser,
    onSuccess: (user) => {
      toast(`Created ${user.name} (${user.role})`);
      return queryClient.invalidateQueries({ queryKey: usersKey });
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = Object.fromEntries(
      [...new FormData(form).entries()].map(([k, v]) => [k, String(v)]),
    );
    const parsed = CreateUserSchema.safeParse({
      name: data.name,
      role: data.role,
      ...(data.password ? { password: data.password } : {}),
    });
    if (!parsed.success) {
      setFieldErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    mutation.mutate(parsed.data, { onSuccess: () => form.reset() });
  };
  return (
    <section className="panel" aria-labelledby="new-user">
      <h2 id="new-user">New user</h2>
      {mutation.isError ? <Alert tone="error">{errorMessage(mutation.error)}</Alert> : null}
      <form className="form form__grid" onSubmit={onSubmit} noValidate>
        <TextField label="User name" name="name" autoComplete="off" error={fieldErrors.name?.[0]} />
        <SelectField label="Role" name="role" defaultValue="viewer" error={fieldErrors.role?.[0]}>
          {RoleSchema.options.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters; leave empty for a user of API keys only."
          error={fieldErrors.password?.[0]}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            Create user
          </button>
        </div>
      </form>
    </section>
  );
}

/** `/users` (admins): people, their roles, disable; and every API key. */
export function UsersPage() {
  const isAdmin = useCan('admin');
  const session = useSession();
  const users = useQuery({ queryKey: usersKey, queryFn: listUsers, enabled: isAdmin });
  const keys = useQuery({ queryKey: keysKey, queryFn: listApiKeys, enabled: isAdmin });
  if (!isAdmin) {
    return (
      <PageHeader title="Users and API keys">
        <Alert tone="info">Only admins manage users and API keys.</Alert>
      </PageHeader>
    );
  }
  const selfId = session.data?.signedIn ? session.data.user.id : undefined;
  return (
    <>
      <PageHeader title="Users and API keys" />
      <NewUserForm />
      <section className="panel" aria-labelledby="users-heading">
        <h2 id="users-heading">Users</h2>
        {users.isPending ? (
          <LoadingState />
        ) : users.isError ? (
          <ErrorState error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Signs in with</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <UserRow key={user.id} user={user} self={user.id === selfId} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">API keys</h2>
        <p className="muted">
          Create keys with <code>npm run apikey -- create --user NAME --out DIR</code>; a key acts
          with its user&apos;s role.
        </p>
        {keys.isPending ? (
          <LoadingState />
        ) : keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.data.items.length === 0 ? (
          <p className="muted">No API keys yet.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((key) => (
                <tr key={`${key.userId}/${key.fingerprint}`}>
                  <td>{key.userName ?? key.userId}</td>
                  <td>
                    <code>{key.fingerprint}</code>
                  </td>
                  <td>{key.lifecycleState === 'ACTIVE' ? 'active' : 'revoked'}</td>
                  <td>{key.timeCreated}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
