import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import type request from 'supertest';
import { expect } from 'vitest';
import { createApp } from '../app.ts';
import { createBackend } from '../backend.ts';
import { createManualClock, type ManualClock } from '../clock.ts';
import type { Db } from '../db/open-db.ts';
import { openTestDb } from '../testing/test-db.ts';
import { createJobRunner, type JobRunner } from '../jobs/job-runner.ts';
import type { Logger } from '../logger.ts';
import {
  COMPARTMENT_ID,
  signedInAgent,
  TEST_SESSION,
  type SignedInAgent,
} from '../testing/test-app.ts';

export const SECRET_KEY = Buffer.alloc(32, 7);

export interface CertTestApp {
  db: Db;
  clock: ManualClock;
  runner: JobRunner;
  /** Signed in to the console as an admin. */
  http: SignedInAgent;
  /** Every response body seen, as text (to prove no private key ever leaves). */
  bodies: string[];
  logs: string[];
}

/** A BFF with a manual clock, demo mode, and a job runner the test drives with `runDue()`. */
export function createCertTestApp(start = '2025-03-01T00:00:00.000Z'): CertTestApp {
  const db = openTestDb();
  const clock = createManualClock(start);
  const logs: string[] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    logs.push(JSON.stringify({ level, msg, ...fields }));
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const runner = createJobRunner({ db, clock, logger, owner: 'test-runner' });
  const app = createApp({
    db,
    clock,
    logger,
    runner,
    config: { ociAuth: 'none', demo: true, secretKey: SECRET_KEY, session: TEST_SESSION },
  });
  return { db, clock, runner, http: signedInAgent(app, db, clock, 'admin'), bodies: [], logs };
}

type Body = Record<string, unknown>;

async function ok(res: request.Response, status = 200): Promise<Body> {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as Body;
}

/** A Meshdeck CA made through the API at the clock's current time. */
export async function createAuthority(
  t: CertTestApp,
  body: { name?: string; validityDays?: number; maximumLeafValidity?: number } = {},
): Promise<CaView> {
  const res = await t.http
    .post('/api/certificate-authorities')
    .send({ compartmentId: COMPARTMENT_ID, name: body.name ?? 'test CA', ...body });
  t.bodies.push(res.text);
  return (await ok(res, 201)) as unknown as CaView;
}

/**
 * Resources are made through the write services with an immediate lifecycle (as the console,
 * the import and the demo seed do): the same rules and certificate hooks as the OCI face, without
 * the OCI face's CREATING step moving the clock.
 */
function services(t: CertTestApp) {
  return createBackend(t.db, t.clock).services;
}

export async function createMeshWithCa(t: CertTestApp, name: string, caId: string) {
  return services(t).Mesh.create({
    compartmentId: COMPARTMENT_ID,
    displayName: name,
    certificateAuthorities: [{ id: caId }],
    mtls: { minimum: 'PERMISSIVE' },
  }).record;
}

export async function createService(
  t: CertTestApp,
  meshId: string,
  name: string,
  extra: Body = {},
): Promise<{ id: string; certificateId: string }> {
  const { record } = services(t).VirtualService.create({
    compartmentId: COMPARTMENT_ID,
    meshId,
    name,
    hosts: [`${name}.retail.svc`, `${name}.retail.svc.cluster.local:8080`],
    ...extra,
  });
  return { id: record.id, certificateId: record.certificateId };
}

export async function createGateway(
  t: CertTestApp,
  meshId: string,
  name: string,
  maximumValidity?: number,
): Promise<{ id: string; certificateId: string }> {
  const { record } = services(t).IngressGateway.create({
    compartmentId: COMPARTMENT_ID,
    meshId,
    name,
    hosts: [
      {
        name: 'main',
        hostnames: ['shop.example.com'],
        listeners: [{ protocol: 'HTTP', port: 8080 }],
      },
    ],
    ...(maximumValidity ? { mtls: { maximumValidity } } : {}),
  });
  return { id: record.id, certificateId: record.mtls?.certificateId ?? '' };
}

/** Updates through the write services (immediate lifecycle). */
export function updateService(t: CertTestApp, id: string, body: Body) {
  return services(t).VirtualService.update(id, body).record;
}

export function deleteService(t: CertTestApp, id: string) {
  return services(t).VirtualService.remove(id).record;
}

export interface CaView {
  id: string;
  notBefore: string;
  notAfter: string;
  certificatePem: string;
  status: string;
}

export interface VersionView {
  version: number;
  serialNumber: string;
  issuedAt: string;
  notBefore: string;
  notAfter: string;
  renewAt: string;
  status: string;
  certificatePem: string;
}

export interface CertificateDetailView {
  id: string;
  status: string;
  currentVersion: number | null;
  versionCount: number;
  notBefore: string | null;
  notAfter: string | null;
  renewAt: string | null;
  failure: { code: string; message: string } | null;
  alerts: { code: string; message: string }[];
  authority: CaView;
  versions: VersionView[];
  runs: { outcome: string; note: string | null; error: string | null }[];
}

export async function getCertificate(t: CertTestApp, id: string): Promise<CertificateDetailView> {
  const res = await t.http.get(`/api/certificates/${id}`);
  t.bodies.push(res.text);
  return (await ok(res)) as unknown as CertificateDetailView;
}

/** Sets the clock and runs every job due then. */
export async function runAt(t: CertTestApp, instant: string) {
  t.clock.set(instant);
  return t.runner.runDue();
}

export interface ParsedLeaf {
  notBefore: string;
  notAfter: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  dnsNames: string[];
  publicKeyPem: string;
}

/**
 * Parses a leaf back and checks it against its CA with two independent implementations: the
 * issuer name, and the signature (Node's OpenSSL-backed X509Certificate and @peculiar/x509).
 */
export async function parseAndVerify(leafPem: string, caPem: string): Promise<ParsedLeaf> {
  const leaf = new x509.X509Certificate(leafPem);
  const ca = new x509.X509Certificate(caPem);
  expect(leaf.issuer).toBe(ca.subject);
  expect(await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
  const nodeLeaf = new NodeX509Certificate(leafPem);
  const nodeCa = new NodeX509Certificate(caPem);
  expect(nodeLeaf.verify(nodeCa.publicKey)).toBe(true);
  expect(nodeLeaf.checkIssued(nodeCa)).toBe(true);
  const san = leaf.getExtension(x509.SubjectAlternativeNameExtension);
  return {
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    subject: leaf.subject,
    issuer: leaf.issuer,
    serialNumber: leaf.serialNumber.toLowerCase(),
    dnsNames: san ? san.names.items.filter((n) => n.type === 'dns').map((n) => n.value) : [],
    publicKeyPem: nodeLeaf.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
