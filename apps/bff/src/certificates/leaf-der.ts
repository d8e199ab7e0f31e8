/**
 * The fast path for leaf certificates (docs/decisions/009-certificate-issuance.md): a tiny DER
 * encoder for exactly the fields a Meshdeck leaf has, a key pair from `node:crypto`, and an ECDSA
 * P-256 signature from `node:crypto`. What every leaf of one CA repeats (issuer name, the fixed
 * extensions) is encoded once, in a {@link LeafTemplate}; per leaf only the serial number,
 * validity, subject, public key and DNS names are encoded. The bytes are the ones
 * `@peculiar/x509` builds for the same inputs (a test compares them), at a fraction of the cost.
 *
 * No imports beyond `node:` built-ins: this module also runs inside the issuing worker threads.
 */
import { createPrivateKey, createECDH, randomBytes, sign, type KeyObject } from 'node:crypto';

/** What one CA's leaves share, encoded once; plain data, so it can be posted to a worker. */
export interface LeafTemplate {
  /** Identifies the CA key (CA id and serial number): workers cache the imported key by it. */
  id: string;
  /** The CA certificate's subject Name, DER, as the leaves' issuer. */
  issuerDer: Uint8Array;
  /** The fixed extensions (basic constraints, key usage, extended key usage, AKI), DER, in order. */
  extensionsDer: Uint8Array;
  /** The CA private key, PKCS#8 DER. Held in memory only. */
  caKeyPkcs8: Uint8Array;
}

export interface LeafRequest {
  commonName: string;
  dnsNames: readonly string[];
  /** Milliseconds since the epoch; encoded to the second. */
  notBefore: number;
  notAfter: number;
}

export interface IssuedLeaf {
  certificatePem: string;
  /** PKCS#8 DER; the caller seals it before it is stored. */
  privateKeyPkcs8: Uint8Array;
  serialNumber: string;
}

/** A positive 128-bit serial number in hex, with no leading zero byte (RFC 5280 §4.1.2.2). */
export function newSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) % 0x7f) + 1;
  return bytes.toString('hex');
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  if (length < 0x100) return [0x81, length];
  if (length < 0x10000) return [0x82, length >> 8, length & 0xff];
  return [0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
}

/** One DER TLV: `tag`, the definite length, then the parts. */
export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(length)]), ...parts]);
}

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const UTF8_STRING = 0x0c;
const PRINTABLE_STRING = 0x13;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const DNS_NAME = 0x82; // [2] IMPLICIT IA5String in GeneralName

/** [0] EXPLICIT INTEGER 2: X.509 v3. */
const VERSION_3 = Buffer.from([0xa0, 0x03, 0x02, 0x01, 0x02]);
/** AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2), no parameters (RFC 5758). */
const ECDSA_WITH_SHA256 = Buffer.from([
  0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
]);
const OID_COMMON_NAME = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]);
const OID_ORGANIZATION = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x0a]);
const OID_SUBJECT_ALT_NAME = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]);

/** The characters of a PrintableString (X.680 §41.4); other text is a UTF8String. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function directoryString(text: string): Buffer {
  return tlv(PRINTABLE.test(text) ? PRINTABLE_STRING : UTF8_STRING, Buffer.from(text, 'utf8'));
}

const ORGANIZATION_RDN = tlv(SET, tlv(SEQUENCE, OID_ORGANIZATION, directoryString('Meshdeck')));

/** `CN=<commonName>, O=Meshdeck`, as every Meshdeck leaf names its subject. */
export function subjectName(commonName: string): Buffer {
  return tlv(
    SEQUENCE,
    tlv(SET, tlv(SEQUENCE, OID_COMMON_NAME, directoryString(commonName))),
    ORGANIZATION_RDN,
  );
}

const two = (n: number) => String(n).padStart(2, '0');

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5), to the second. */
export function x509Time(ms: number): Buffer {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(
    d.getUTCMinutes(),
  )}${two(d.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050) {
    return tlv(UTC_TIME, Buffer.from(`${two(year % 100)}${rest}`, 'latin1'));
  }
  return tlv(GENERALIZED_TIME, Buffer.from(`${String(year).padStart(4, '0')}${rest}`, 'latin1'));
}

function subjectAltName(dnsNames: readonly string[]): Buffer {
  const names = dnsNames.map((name) => tlv(DNS_NAME, Buffer.from(name, 'utf8')));
  return tlv(SEQUENCE, OID_SUBJECT_ALT_NAME, tlv(OCTET_STRING, tlv(SEQUENCE, ...names)));
}

/** The TBSCertificate of one leaf (RFC 5280 §4.1), DER. */
export function encodeLeafTbs(
  template: Pick<LeafTemplate, 'issuerDer' | 'extensionsDer'>,
  leaf: LeafRequest & { serialNumber: string; spkiDer: Uint8Array },
): Buffer {
  const extensions = [template.extensionsDer];
  if (leaf.dnsNames.length > 0) extensions.push(subjectAltName(leaf.dnsNames));
  return tlv(
    SEQUENCE,
    VERSION_3,
    tlv(INTEGER, Buffer.from(leaf.serialNumber, 'hex')),
    ECDSA_WITH_SHA256,
    template.issuerDer,
    tlv(SEQUENCE, x509Time(leaf.notBefore), x509Time(leaf.notAfter)),
    subjectName(leaf.commonName),
    leaf.spkiDer,
    tlv(0xa3, tlv(SEQUENCE, ...extensions)),
  );
}

/** The signed certificate: TBSCertificate, algorithm, signature (RFC 5280 §4.1.1). */
export function signCertificate(tbs: Uint8Array, caKey: KeyObject): Buffer {
  const signature = sign('sha256', tbs, { key: caKey, dsaEncoding: 'der' });
  return tlv(SEQUENCE, tbs, ECDSA_WITH_SHA256, tlv(BIT_STRING, Buffer.from([0]), signature));
}

export function toPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----`;
}

/** AlgorithmIdentifier id-ecPublicKey (1.2.840.10045.2.1) with the named curve P-256. */
const EC_P256 = Buffer.from([
  0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
  0xce, 0x3d, 0x03, 0x01, 0x07,
]);
const ZERO = Buffer.from([0]);

/**
 * A P-256 key pair: the public key as SubjectPublicKeyInfo DER, the private key as PKCS#8 DER
 * (RFC 5208 around an RFC 5915 ECPrivateKey, as OpenSSL writes it). Made with ECDH and encoded
 * here: OpenSSL's key export costs several times the key generation itself.
 */
export function newLeafKeyPair(): { spkiDer: Buffer; pkcs8Der: Buffer } {
  const ecdh = createECDH('prime256v1');
  const point = ecdh.generateKeys(); // uncompressed, 65 bytes
  const scalar = ecdh.getPrivateKey();
  const secret =
    scalar.length === 32 ? scalar : Buffer.concat([Buffer.alloc(32 - scalar.length), scalar]);
  const publicBits = tlv(BIT_STRING, ZERO, point);
  const ecPrivateKey = tlv(
    SEQUENCE,
    Buffer.from([INTEGER, 1, 1]),
    tlv(OCTET_STRING, secret),
    tlv(0xa1, publicBits),
  );
  return {
    spkiDer: tlv(SEQUENCE, EC_P256, publicBits),
    pkcs8Der: tlv(SEQUENCE, Buffer.from([INTEGER, 1, 0]), EC_P256, tlv(OCTET_STRING, ecPrivateKey)),
  };
}

/** Imports a CA key once per template id (per thread). */
export function createLeafSigner() {
  const keys = new Map<string, KeyObject>();
  const caKeyOf = (template: LeafTemplate): KeyObject => {
    let key = keys.get(template.id);
    if (!key) {
      key = createPrivateKey({
        key: Buffer.from(template.caKeyPkcs8),
        format: 'der',
        type: 'pkcs8',
      });
      keys.set(template.id, key);
    }
    return key;
  };
  return {
    /** A new key pair and the leaf for it, signed by the template's CA. Synchronous, ~0.1 ms. */
    issue(template: LeafTemplate, request: LeafRequest): IssuedLeaf {
      const pair = newLeafKeyPair();
      const serialNumber = newSerialNumber();
      const tbs = encodeLeafTbs(template, { ...request, serialNumber, spkiDer: pair.spkiDer });
      return {
        certificatePem: toPem(signCertificate(tbs, caKeyOf(template))),
        privateKeyPkcs8: pair.pkcs8Der,
        serialNumber,
      };
    },
  };
}
