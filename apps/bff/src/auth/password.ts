import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard). N = 2^15, r = 8, p = 1 needs 32 MiB and about
 * 50-100 ms per hash on one core: slow for a guesser with a GPU, acceptable for a sign-in. The
 * parameters are stored with each hash, so raising them later keeps old hashes verifiable.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }) {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // 128 * N * r bytes, plus room.
    maxmem: 256 * params.N * params.r,
  };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** A hash to verify against when the user does not exist, so both cases take as long. */
let dummyHash: Promise<string> | undefined;

/**
 * Whether `password` matches `stored` (constant-time compare). With no stored hash (unknown user,
 * a user without a password), it still spends one hash's time and answers false.
 */
export async function verifyPassword(
  password: string,
  stored: string | undefined,
): Promise<boolean> {
  const match = stored ? FORMAT.exec(stored) : null;
  if (!match) {
    dummyHash ??= hashPassword('meshdeck-no-such-user');
    const dummy = FORMAT.exec(await dummyHash) as RegExpExecArray;
    await derive(password, Buffer.from(dummy[4] as string, 'base64'), SCRYPT_PARAMS);
    return false;
  }
  const [, n, r, p, salt, hash] = match as unknown as string[];
  const expected = Buffer.from(hash as string, 'base64');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const key = await derive(password, Buffer.from(salt as string, 'base64'), params);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
