import '../auth.css';
import {
  FirstRunSchema,
  SignInSchema,
  issuesToFieldErrors,
  type FieldErrors,
} from '@meshdeck/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../components/ui/alert.tsx';
import { TextField } from '../../../components/ui/form-field.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { errorMessage, isApiError } from '../../../lib/api-error.ts';
import { sessionQueryKey, useSession } from '../../../lib/session.ts';
import { firstRunSetup, signIn } from '../api/auth.api.ts';

/** Only paths inside the console: `next` must not send the user to another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/meshes';
}

function formValues(event: FormEvent<HTMLFormElement>): Record<string, string> {
  event.preventDefault();
  const data = new FormData(event.currentTarget);
  return Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)]));
}

function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth-page">
      <div className="panel auth-page__panel">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** `/sign-in`: user name and password; back to where the user was going. */
export function SignInPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: signIn,
    onSuccess: (view) => {
      queryClient.setQueryData(sessionQueryKey, view);
      void navigate(safeNext(params.get('next')), { replace: true });
    },
  });
  if (session.isPending) return <LoadingState />;
  if (session.data?.signedIn) return <Navigate to={safeNext(params.get('next'))} replace />;
  if (session.data?.setupRequired) return <Navigate to="/setup" replace />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const parsed = SignInSchema.safeParse(formValues(event));
    if (!parsed.success) {
      setFieldErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    mutation.mutate(parsed.data);
  };
  return (
    <AuthFrame title="Sign in to Meshdeck">
      {mutation.isError ? (
        <Alert tone="error">
          {isApiError(mutation.error) && mutation.error.status === 429
            ? `${errorMessage(mutation.error)} (try again in ${mutation.error.retryAfterSeconds ?? 60} s)`
            : errorMessage(mutation.error)}
        </Alert>
      ) : null}
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          label="User name"
          name="name"
          autoComplete="username"
          error={fieldErrors.name?.[0]}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          error={fieldErrors.password?.[0]}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </AuthFrame>
  );
}

/** `/setup`: the first admin, once, with the setup token the server printed at start. */
export function SetupPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const mutation = useMutation({
    mutationFn: firstRunSetup,
    onSuccess: (view) => {
      queryClient.setQueryData(sessionQueryKey, view);
      void navigate('/meshes', { replace: true });
    },
  });
  if (session.isPending) return <LoadingState />;
  if (session.data?.signedIn) return <Navigate to="/meshes" replace />;
  if (session.data && !session.data.setupRequired) return <Navigate to="/sign-in" replace />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const parsed = FirstRunSchema.safeParse(formValues(event));
    if (!parsed.success) {
      setFieldErrors(issuesToFieldErrors(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    mutation.mutate(parsed.data);
  };
  return (
    <AuthFrame title="Set up Meshdeck">
      <p>
        No one can sign in yet. Create the first admin with the setup token the server printed in
        its log when it started (the line that begins with <code>FIRST RUN</code>).
      </p>
      {mutation.isError ? <Alert tone="error">{errorMessage(mutation.error)}</Alert> : null}
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          label="Setup token"
          name="token"
          autoComplete="off"
          error={fieldErrors.token?.[0]}
        />
        <TextField
          label="Admin user name"
          name="name"
          autoComplete="username"
          error={fieldErrors.name?.[0]}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters."
          error={fieldErrors.password?.[0]}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Creating…' : 'Create admin and sign in'}
          </button>
        </div>
      </form>
    </AuthFrame>
  );
}
