import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, webcrypto } from 'node:crypto';
import { createLeafSigner, newSerialNumber, type LeafTemplate } from './leaf-der.ts';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA P-256 with SHA-256 for CAs and leaves: small, fast, and what Envoy proxies accept. */
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

const subtle = webcrypto.subtle;

export { newSerialNumber };

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
 * is most of the cost of a leaf. `template` is the same, DER-encoded, for the fast path
 * (leaf-der.ts); `issuer`/`leafExtensions` serve `issueLeafWithLibrary`, the reference.
 */
export interface SigningAuthority {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  issuer: x509.Name;
  leafExtensions: x509.Extension[];
  template: LeafTemplate;
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
  const issuer = new x509.Name(certificate.subjectName.toArrayBuffer());
  return {
    certificate,
    privateKey,
    issuer,
    leafExtensions,
    template: {
      id: createHash('sha256').update(new Uint8Array(certificate.rawData)).digest('hex'),
      issuerDer: new Uint8Array(issuer.toArrayBuffer()),
      extensionsDer: Buffer.concat(leafExtensions.map((e) => new Uint8Array(e.rawData))),
      caKeyPkcs8: new Uint8Array(privateKeyPkcs8),
    },
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

const inlineSigner = createLeafSigner();

/**
 * A leaf, the fast way (leaf-der.ts), in the calling thread. The certificate service issues
 * through a LeafIssuer (leaf-issuer.ts), which runs the same code on worker threads.
 */
export function issueLeafCertificate(input: {
  authority: SigningAuthority;
  commonName: string;
  dnsNames: readonly string[];
  notBefore: Date;
  notAfter: Date;
}): GeneratedCertificate {
  return inlineSigner.issue(input.authority.template, {
    commonName: input.commonName,
    dnsNames: input.dnsNames,
    notBefore: input.notBefore.getTime(),
    notAfter: input.notAfter.getTime(),
  });
}

/**
 * The same leaf built with @peculiar/x509 (how leaves were made before decision 009): the
 * reference the fast path is checked against, byte for byte, in the tests.
 */
export async function issueLeafWithLibrary(input: {
  authority: SigningAuthority;
  commonName: string;
  dnsNames: readonly string[];
  notBefore: Date;
  notAfter: Date;
  /** A given key pair and serial number (to compare with the fast path); new ones otherwise. */
  keys?: CryptoKeyPair;
  serialNumber?: string;
}): Promise<GeneratedCertificate> {
  const keys =
    input.keys ??
    ((await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair);
  const serialNumber = input.serialNumber ?? newSerialNumber();
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
