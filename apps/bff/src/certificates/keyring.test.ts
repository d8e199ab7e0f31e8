import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openTestDb } from '../testing/test-db.ts';
import { checkSecretKeyForStore, createKeyring } from './keyring.ts';

describe('the secret key that seals private keys', () => {
  it('is recorded by the first start and refused when a later start brings another key', () => {
    const db = openTestDb();
    const key = randomBytes(32);
    const now = new Date('2026-12-04T00:00:00Z');
    checkSecretKeyForStore(db, key, now);
    // The same key again (a restart, another replica): accepted.
    expect(() => checkSecretKeyForStore(db, Buffer.from(key), now)).not.toThrow();
    expect(() => checkSecretKeyForStore(db, randomBytes(32), now)).toThrow(
      "the secret key (MESHDECK_SECRET_KEY or MESHDECK_SECRET_KEY_FILE) is not the key this database's private keys are sealed with",
    );
    expect(db.prepare('SELECT COUNT(*) FROM store_settings').pluck().get()).toBe(1);
  });

  it('seals with the row as context, so a sealed value copied elsewhere does not open', () => {
    const keyring = createKeyring(randomBytes(32));
    const sealed = keyring.seal(Buffer.from('private'), 'ca-1');
    expect(keyring.open(sealed, 'ca-1').toString()).toBe('private');
    expect(() => keyring.open(sealed, 'ca-2')).toThrow();
  });
});
