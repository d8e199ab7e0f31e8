import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA P-256 with SHA-256 for CAs and leaves: small, fast, and what Envoy proxies accept. */
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

const subtle = webcrypto.subtle;

/** A positive 128-bit serial number in hex, with no leading zero byte (RFC 5280 §4.1.2.2). */
export function newSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) % 0x7f) + 1;
  return bytes.toString('hex');
}

export interface GeneratedCertificate {
  certificatePem: string;
  /** PKCS#8 DER; the caller seals it before it is stored. */
  privateKeyPkcs8: Uint8Array;
  serialNumber: string;
}

function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

export async function createCaCertificate(input: {
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}): Promise<GeneratedCertificate> {
  const keys = (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serialNumber = newSerialNumber();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: `CN=${escapeRdn(input.commonName)}, O=Meshdeck`,
    notBefore: input.notBefore,
    notAfter: input.notAfter,
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      // pathLen 0: the mesh CA signs leaves only.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey));
  return { certificatePem: cert.toString('pem'), privateKeyPkcs8: pkcs8, serialNumber };
}

/**
 * A CA ready to sign: its certificate and private key, imported once and kept in memory, with what
 * every leaf it signs repeats (issuer name, the fixed extensions) built once too — ASN.1 encoding
 * is most of the cost of a leaf.
 */
export interface SigningAuthority {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  issuer: x509.Name;
  leafExtensions: x509.Extension[];
}

export async function loadSigningAuthority(
  certificatePem: string,
  privateKeyPkcs8: Uint8Array,
): Promise<SigningAuthority> {
  const certificate = new x509.X509Certificate(certificatePem);
  const privateKey = await subtle.importKey('pkcs8', privateKeyPkcs8, KEY_ALGORITHM, false, [
    'sign',
  ]);
  const leafExtensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    // mTLS: the same leaf serves and calls.
    new x509.ExtendedKeyUsageExtension(
      [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
      false,
    ),
    await x509.AuthorityKeyIdentifierExtension.create(certificate.publicKey),
  ];
  return {
    certificate,
    privateKey,
    issuer: new x509.Name(certificate.subjectName.toArrayBuffer()),
    leafExtensions,
  };
}

/** A DNS SAN from a host: the port dropped; `*` alone names no host and is left out. */
export function dnsNamesOf(hosts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const host of hosts) {
    const name = host.replace(/:\d+$/, '').toLowerCase();
    if (name && name !== '*') names.add(name);
  }
  return [...names];
}

export async function issueLeafCertificate(input: {
  authority: SigningAuthority;
  commonName: string;
  dnsNames: readonly string[];
  notBefore: Date;
  notAfter: Date;
}): Promise<GeneratedCertificate> {
  const keys = (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serialNumber = newSerialNumber();
  const extensions = [...input.authority.leafExtensions];
  if (input.dnsNames.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        input.dnsNames.map((value) => ({ type: 'dns' as const, value })),
        false,
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: `CN=${escapeRdn(input.commonName)}, O=Meshdeck`,
    issuer: input.authority.issuer,
    notBefore: input.notBefore,
    notAfter: input.notAfter,
    publicKey: keys.publicKey,
    signingKey: input.authority.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions,
  });
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey));
  return { certificatePem: cert.toString('pem'), privateKeyPkcs8: pkcs8, serialNumber };
}
