import type {
  CreateUserInput,
  FirstRunInput,
  SessionView,
  SignInInput,
  UpdateUserInput,
  UserView,
} from '@meshdeck/domain';
import { request, setCsrfToken } from '../../../lib/api-client.ts';

type SignedIn = SessionView & { signedIn: true };

export async function signIn(input: SignInInput): Promise<SignedIn> {
  const session = await request<SignedIn>('/api/session', { method: 'POST', json: input });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function firstRunSetup(input: FirstRunInput): Promise<SignedIn> {
  const session = await request<SignedIn>('/api/setup', { method: 'POST', json: input });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  await request<void>('/api/session', { method: 'DELETE' });
  setCsrfToken(undefined);
}

export interface ApiKeyView {
  userId: string;
  userName?: string;
  fingerprint: string;
  keyId?: string;
  lifecycleState: 'ACTIVE' | 'DELETED';
  timeCreated: string;
  timeRevoked?: string;
}

export const listUsers = () => request<{ items: UserView[] }>('/api/users');
export const createUser = (input: CreateUserInput) =>
  request<UserView>('/api/users', { method: 'POST', json: input });
export const updateUser = (name: string, input: UpdateUserInput) =>
  request<UserView>(`/api/users/${encodeURIComponent(name)}`, { method: 'PATCH', json: input });
export const listApiKeys = () => request<{ items: ApiKeyView[] }>('/api/api-keys');
