import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 32];
  return out;
}

/** A new OCID of the given resource type (spec §1): `ocid1.<type>.oc1.local.<unique>`. */
export function newOcid(resourceType: string): string {
  return `ocid1.${resourceType}.oc1.local.${randomToken(40)}`;
}

/** A new opaque etag; it changes on every mutation. */
export function newEtag(): string {
  return randomBytes(16).toString('hex');
}
