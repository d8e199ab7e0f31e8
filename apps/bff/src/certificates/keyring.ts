import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inTransaction, prepare, type Db } from '../db/open-db.ts';

const KEY_BYTES = 32;
const FORMAT = 'v1';

/**
 * Encrypts private keys at rest with AES-256-GCM under the configured secret key. The row's
 * identity (certificate id and version) is the additional data, so a ciphertext copied into
 * another row does not decrypt.
 */
export interface Keyring {
  seal(plaintext: Uint8Array, context: string): string;
  open(sealed: string, context: string): Buffer;
}

export function createKeyring(secretKey: Uint8Array): Keyring {
  if (secretKey.length !== KEY_BYTES) {
    throw new Error(`the secret key must be ${KEY_BYTES} bytes (got ${secretKey.length})`);
  }
  const key = Buffer.from(secretKey);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [FORMAT, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join(
        ':',
      );
    },
    open(sealed, context) {
      const [format, iv, tag, body] = sealed.split(':');
      if (format !== FORMAT || !iv || !tag || body === undefined) {
        throw new Error('unreadable sealed key');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
    },
  };
}

const KEY_CHECK_SETTING = 'secret-key-check';
const KEY_CHECK_TEXT = 'meshdeck secret key check';

/**
 * Makes sure `secretKey` is the key this store's private keys are sealed with: the first start
 * records a value sealed with it; every later start (any replica) must open that value, or is
 * refused — a second key would seal keys no other replica could read.
 */
export function checkSecretKeyForStore(db: Db, secretKey: Uint8Array, now: Date): void {
  const keyring = createKeyring(secretKey);
  inTransaction(db, () => {
    const sealed = prepare(db, 'SELECT value FROM store_settings WHERE name = ?')
      .pluck()
      .get(KEY_CHECK_SETTING) as string | undefined;
    if (sealed === undefined) {
      prepare(db, 'INSERT INTO store_settings (name, value, updated_at) VALUES (?, ?, ?)').run(
        KEY_CHECK_SETTING,
        keyring.seal(Buffer.from(KEY_CHECK_TEXT), KEY_CHECK_SETTING),
        now.toISOString(),
      );
      return;
    }
    let opened: string | undefined;
    try {
      opened = keyring.open(sealed, KEY_CHECK_SETTING).toString('utf8');
    } catch {
      opened = undefined;
    }
    if (opened !== KEY_CHECK_TEXT) {
      throw new Error(
        "the secret key (MESHDECK_SECRET_KEY or MESHDECK_SECRET_KEY_FILE) is not the key this database's " +
          'private keys are sealed with: give this process the same key as the first one that used the database',
      );
    }
  });
}

/** Parses `MESHDECK_SECRET_KEY`: 32 bytes as base64 or 64 hex digits. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error('MESHDECK_SECRET_KEY must be 32 bytes, as base64 or 64 hex digits');
  }
  return key;
}

export type SecretKeySource = 'environment' | 'file' | 'generated' | 'ephemeral';

/**
 * The key that encrypts private keys at rest: from the environment, else from `keyFile`, else a new
 * one written to `keyFile` (mode 0600). Without a file (an in-memory database) a new key lives
 * only as long as the process — as do the keys it protects.
 */
export function loadSecretKey(options: { envValue?: string | undefined; keyFile?: string }): {
  key: Buffer;
  source: SecretKeySource;
} {
  if (options.envValue) return { key: parseSecretKey(options.envValue), source: 'environment' };
  const file = options.keyFile;
  if (!file) return { key: randomBytes(KEY_BYTES), source: 'ephemeral' };
  if (existsSync(file)) return { key: parseSecretKey(readFileSync(file, 'utf8')), source: 'file' };
  const key = randomBytes(KEY_BYTES);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, source: 'generated' };
}
