import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { InvalidParameterError } from '../errors.ts';

/** OCI accepts RSA API keys of at least 2048 bits. */
export const MIN_RSA_BITS = 2048;

/**
 * The OCI fingerprint of a public key: MD5 of its SubjectPublicKeyInfo DER, as colon-separated
 * lower-case hex pairs (what `openssl rsa -pubout -outform DER | openssl md5 -c` prints and what
 * the OCI config file's `fingerprint=` holds).
 */
export function fingerprintOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const hex = createHash('md5').update(der).digest('hex');
  return hex.match(/../g)?.join(':') ?? hex;
}

/**
 * Reads a public key (SPKI `BEGIN PUBLIC KEY` or PKCS#1 `BEGIN RSA PUBLIC KEY` PEM) and checks it
 * is RSA with at least 2048 bits; returns it with its SPKI PEM and fingerprint.
 */
export function readPublicKey(pem: string): { key: KeyObject; pem: string; fingerprint: string } {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new InvalidParameterError('publicKey', 'not a PEM public key');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new InvalidParameterError('publicKey', 'must be an RSA key');
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new InvalidParameterError('publicKey', `must have at least ${MIN_RSA_BITS} bits`);
  }
  const spki = key.export({ type: 'spki', format: 'pem' }).toString();
  return { key, pem: spki, fingerprint: fingerprintOf(key) };
}

export interface GeneratedKeyPair {
  /** SPKI PEM. */
  publicKeyPem: string;
  /** PKCS#8 PEM, unencrypted; given to the user once and never stored. */
  privateKeyPem: string;
  fingerprint: string;
}

/** A fresh RSA-2048 API key pair. */
export function generateApiKeyPair(): GeneratedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    fingerprint: fingerprintOf(publicKey),
  };
}
