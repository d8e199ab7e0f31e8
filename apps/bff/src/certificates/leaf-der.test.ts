import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, webcrypto, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeLeafTbs, newLeafKeyPair, newSerialNumber } from './leaf-der.ts';
import { createLeafIssuer } from './leaf-issuer.ts';
import {
  createCaCertificate,
  issueLeafCertificate,
  issueLeafWithLibrary,
  loadSigningAuthority,
} from './x509.ts';

const NOT_BEFORE = new Date('2025-02-28T23:55:00.000Z');
const NOT_AFTER = new Date('2025-04-15T00:00:00.000Z');

async function authority(name = 'retail CA') {
  const ca = await createCaCertificate({
    commonName: name,
    notBefore: new Date('2025-01-01T00:00:00.000Z'),
    notAfter: new Date('2030-01-01T00:00:00.000Z'),
  });
  const signer = await loadSigningAuthority(ca.certificatePem, ca.privateKeyPkcs8);
  return { ca, signer, caCert: new X509Certificate(ca.certificatePem) };
}

/** The first element of the outer SEQUENCE: the TBSCertificate's DER. */
function tbsOf(der: Uint8Array): Buffer {
  const buf = Buffer.from(der);
  const outerHeader = (buf[1] ?? 0) & 0x80 ? 2 + ((buf[1] ?? 0) & 0x7f) : 2;
  const first = buf[outerHeader + 1] ?? 0;
  const lengthBytes = first & 0x80 ? first & 0x7f : 0;
  const length = lengthBytes ? buf.readUIntBE(outerHeader + 2, lengthBytes) : first;
  return buf.subarray(outerHeader, outerHeader + 2 + lengthBytes + length);
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

describe('the DER fast path for leaves', () => {
  it('encodes the very TBSCertificate @peculiar/x509 builds for the same inputs', async () => {
    const { signer } = await authority();
    for (const [commonName, dnsNames] of [
      ['orders', ['orders.retail.svc', 'orders.retail.svc.cluster.local']],
      ['edge gw (a=b, c+d)', ['edge.example.com']],
      ['café-über', []],
    ] as const) {
      const keys = (await webcrypto.subtle.generateKey(
        { name: 'ECDSA', namedCurve: 'P-256' },
        true,
        ['sign', 'verify'],
      )) as webcrypto.CryptoKeyPair;
      const serialNumber = newSerialNumber();
      const reference = await issueLeafWithLibrary({
        authority: signer,
        commonName,
        dnsNames,
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
        keys,
        serialNumber,
      });
      const spkiDer = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey));
      const fast = encodeLeafTbs(signer.template, {
        commonName,
        dnsNames,
        notBefore: NOT_BEFORE.getTime(),
        notAfter: NOT_AFTER.getTime(),
        serialNumber,
        spkiDer,
      });
      expect(fast.toString('hex')).toBe(tbsOf(pemToDer(reference.certificatePem)).toString('hex'));
    }
  });

  it('issues a valid X.509 leaf: verified by node:crypto, with the SAN, usages and validity asked for', async () => {
    const { signer, caCert } = await authority();
    const leaf = issueLeafCertificate({
      authority: signer,
      commonName: 'orders',
      dnsNames: ['orders.retail.svc', 'orders.retail.svc.cluster.local'],
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    });
    const cert = new X509Certificate(leaf.certificatePem);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe('CN=orders\nO=Meshdeck');
    expect(cert.issuer).toBe('CN=retail CA\nO=Meshdeck');
    expect(cert.subjectAltName).toBe('DNS:orders.retail.svc, DNS:orders.retail.svc.cluster.local');
    expect(new Date(cert.validFrom).toISOString()).toBe(NOT_BEFORE.toISOString());
    expect(new Date(cert.validTo).toISOString()).toBe(NOT_AFTER.toISOString());
    expect(cert.serialNumber.toLowerCase()).toBe(leaf.serialNumber);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });

    // The key that comes with it is the certificate's key, in PKCS#8.
    const privateKey = createPrivateKey({
      key: Buffer.from(leaf.privateKeyPkcs8),
      format: 'der',
      type: 'pkcs8',
    });
    expect(cert.checkPrivateKey(privateKey)).toBe(true);

    // @peculiar/x509 reads the same: critical key usage (digital signature), not a CA, the AKI.
    const parsed = new x509.X509Certificate(leaf.certificatePem);
    expect(
      await parsed.verify({ publicKey: signer.certificate.publicKey, signatureOnly: true }),
    ).toBe(true);
    const usage = parsed.getExtension(x509.KeyUsagesExtension);
    expect(usage?.critical).toBe(true);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(parsed.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    const ski = await x509.SubjectKeyIdentifierExtension.create(signer.certificate.publicKey);
    expect(parsed.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(ski.keyId);
  });

  it('leaves the SAN out when there is no host, and encodes a far notAfter as GeneralizedTime', async () => {
    const { signer, caCert } = await authority();
    const leaf = issueLeafCertificate({
      authority: signer,
      commonName: 'internal',
      dnsNames: [],
      notBefore: NOT_BEFORE,
      notAfter: new Date('2051-06-30T12:34:56.000Z'),
    });
    const cert = new X509Certificate(leaf.certificatePem);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBeUndefined();
    expect(new Date(cert.validTo).toISOString()).toBe('2051-06-30T12:34:56.000Z');
  });

  it('is accepted by OpenSSL against the CA', async () => {
    const { ca, signer } = await authority();
    const leaf = issueLeafCertificate({
      authority: signer,
      commonName: 'payments',
      dnsNames: ['payments.retail.svc'],
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const dir = mkdtempSync(join(tmpdir(), 'meshdeck-leaf-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), ca.certificatePem);
      writeFileSync(join(dir, 'leaf.pem'), leaf.certificatePem);
      const out = execFileSync(
        'openssl',
        ['verify', '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'leaf.pem')],
        { encoding: 'utf8' },
      );
      expect(out.trim()).toBe(`${join(dir, 'leaf.pem')}: OK`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('issuing on worker threads', () => {
  const pool = createLeafIssuer({ threads: 2 });
  afterAll(() => pool.close());

  it('issues valid leaves with unique serials and keys, from two CAs, on two workers', async () => {
    const first = await authority('first CA');
    const second = await authority('second CA');
    const leaves = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const from = i % 2 === 0 ? first : second;
        return pool
          .issue(from.signer.template, {
            commonName: `svc-${i}`,
            dnsNames: [`svc-${i}.retail.svc`],
            notBefore: NOT_BEFORE.getTime(),
            notAfter: NOT_AFTER.getTime(),
          })
          .then((leaf) => ({ leaf, from, i }));
      }),
    );
    expect(pool.threads).toBe(2);
    expect(pool.issuedOnWorkers).toBe(200);
    for (const { leaf, from, i } of leaves) {
      const cert = new X509Certificate(leaf.certificatePem);
      expect(cert.verify(from.caCert.publicKey)).toBe(true);
      expect(cert.subject).toBe(`CN=svc-${i}\nO=Meshdeck`);
      expect(cert.subjectAltName).toBe(`DNS:svc-${i}.retail.svc`);
      expect(cert.serialNumber.toLowerCase()).toBe(leaf.serialNumber);
    }
    expect(new Set(leaves.map(({ leaf }) => leaf.serialNumber)).size).toBe(200);
    const publicKeys = leaves.map(({ leaf }) =>
      createPublicKey(
        createPrivateKey({ key: Buffer.from(leaf.privateKeyPkcs8), format: 'der', type: 'pkcs8' }),
      )
        .export({ type: 'spki', format: 'der' })
        .toString('hex'),
    );
    expect(new Set(publicKeys).size).toBe(200);
  });

  it('issues in the calling thread once closed, with the same result', async () => {
    const { signer, caCert } = await authority();
    const closed = createLeafIssuer({ threads: 1 });
    await closed.close();
    const leaf = await closed.issue(signer.template, {
      commonName: 'after-close',
      dnsNames: [],
      notBefore: NOT_BEFORE.getTime(),
      notAfter: NOT_AFTER.getTime(),
    });
    expect(new X509Certificate(leaf.certificatePem).verify(caCert.publicKey)).toBe(true);
  });

  it('makes a fresh key pair each time, encoded as OpenSSL encodes it', () => {
    const pairs = Array.from({ length: 300 }, () => newLeafKeyPair());
    for (const pair of pairs) {
      const privateKey = createPrivateKey({ key: pair.pkcs8Der, format: 'der', type: 'pkcs8' });
      expect(privateKey.export({ type: 'pkcs8', format: 'der' }).toString('hex')).toBe(
        pair.pkcs8Der.toString('hex'),
      );
      expect(
        createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('hex'),
      ).toBe(pair.spkiDer.toString('hex'));
    }
    expect(new Set(pairs.map((p) => p.spkiDer.toString('hex'))).size).toBe(300);
  });
});
