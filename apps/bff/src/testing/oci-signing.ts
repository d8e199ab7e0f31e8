import { DefaultRequestSigner, SimpleAuthenticationDetailsProvider } from 'oci-common';
import { generateApiKeyPair } from '../auth/api-key-crypto.ts';
import type { Db } from '../db/open-db.ts';
import { createApiKeyRepository } from '../auth/api-keys.repository.ts';
import type { Clock } from '../clock.ts';

/** What a client holds: the keyId parts and its private key. */
export interface ClientKey {
  tenancyId: string;
  userId: string;
  fingerprint: string;
  privateKeyPem: string;
}

/** Creates a user with a fresh registered API key, as `npm run apikey -- create` does. */
export function registerClientKey(db: Db, clock: Clock, userName = 'alice'): ClientKey {
  const apiKeys = createApiKeyRepository(db, clock);
  const user = apiKeys.findUserByName(userName) ?? apiKeys.createUser(userName);
  const pair = generateApiKeyPair();
  const key = apiKeys.addKey(user.id, pair.publicKeyPem);
  return {
    tenancyId: user.tenancyId,
    userId: user.id,
    fingerprint: key.fingerprint,
    privateKeyPem: pair.privateKeyPem,
  };
}

/** The SDK's own provider for a client key. */
export function authProviderFor(key: ClientKey): SimpleAuthenticationDetailsProvider {
  return new SimpleAuthenticationDetailsProvider(
    key.tenancyId,
    key.userId,
    key.fingerprint,
    key.privateKeyPem,
    null,
  );
}

/**
 * The headers oci-common's own signer (DefaultRequestSigner, the one ServiceMeshClient uses) puts
 * on a request, as a plain object to send with supertest. `xDate` fixes the date it signs.
 */
export async function ociSignedHeaders(options: {
  key: ClientKey;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/20220615/meshes?compartmentId=x`. */
  path: string;
  body?: string;
  host?: string;
  xDate?: string;
}): Promise<Record<string, string>> {
  const host = options.host ?? '127.0.0.1';
  const headers = new Headers({ 'content-type': 'application/json', host });
  if (options.xDate) headers.set('x-date', options.xDate);
  const request = {
    method: options.method,
    uri: `http://${host}${options.path}`,
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
  };
  await new DefaultRequestSigner(authProviderFor(options.key)).signHttpRequest(request as never);
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}
