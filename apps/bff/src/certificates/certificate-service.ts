import {
  caExpiredMessage,
  CLOCK_SKEW_BACKDATE_MS,
  issueInstant,
  leafSchedule,
  nextCertificateAction,
  type LeafSchedule,
} from '@meshdeck/domain';
import type { Clock } from '../clock.ts';
import { inTransaction, type Db } from '../db/open-db.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { newOcid } from '../ids.ts';
import type { Job, JobQueue } from '../jobs/job-queue.ts';
import {
  PermanentJobError,
  type JobContext,
  type JobFailure,
  type JobResult,
  type JobRunner,
} from '../jobs/job-runner.ts';
import {
  CERTIFICATE_AUTHORITY_JOB,
  CERTIFICATE_JOB,
  certificateJobKey,
  type CertificateAuthorityJobPayload,
  type CertificateJobPayload,
} from './certificate-hooks.ts';
import type {
  CertificateAuthorityRecord,
  CertificateRecord,
  CertificateRepository,
} from './certificates.repository.ts';
import type { Keyring } from './keyring.ts';
import { sharedLeafIssuer, type LeafIssuer } from './leaf-issuer.ts';
import { createCaCertificate, loadSigningAuthority, type SigningAuthority } from './x509.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface NewAuthorityInput {
  compartmentId: string;
  name: string;
  validityDays: number;
  maximumLeafValidity: number;
}

export interface CertificateServiceDeps {
  db: Db;
  clock: Clock;
  repository: CertificateRepository;
  jobs: JobQueue;
  keyring: Keyring;
  /** Who builds and signs leaves; the process's worker pool (`MESHDECK_CERT_THREADS`) by default. */
  leafIssuer?: LeafIssuer;
}

/** A write transaction: at once, or (group commit, the renewal jobs) with the batch's others. */
type Transaction = <T>(fn: () => T) => T | Promise<T>;

const authorityKeyContext = (caId: string) => `certificate-authority:${caId}`;
const leafKeyContext = (certificateId: string, version: number) =>
  `certificate:${certificateId}:${version}`;

/**
 * The certificate lifecycle's I/O: makes CAs, issues and renews leaves (the decision is the
 * domain's `nextCertificateAction`), deletes versions and retries. Every stored change happens in
 * one transaction that first re-reads the certificate, so a run that lost a race or was killed
 * half-way never adds a second version for one due time.
 */
export function createCertificateService(deps: CertificateServiceDeps) {
  const { db, clock, repository: repo, keyring } = deps;
  const leafIssuer = deps.leafIssuer ?? sharedLeafIssuer();
  const signers = new Map<string, Promise<SigningAuthority>>();
  const defaultTransaction: Transaction = (fn) => inTransaction(db, fn);

  const signerFor = (ca: CertificateAuthorityRecord): Promise<SigningAuthority> => {
    const key = `${ca.id}:${ca.serialNumber}`;
    let signer = signers.get(key);
    if (!signer) {
      const sealed = repo.sealedAuthorityKey(ca.id);
      if (!sealed || !ca.certificatePem) {
        return Promise.reject(new Error(`certificate authority ${ca.id} has no key`));
      }
      const pkcs8 = keyring.open(sealed, authorityKeyContext(ca.id));
      signer = loadSigningAuthority(ca.certificatePem, pkcs8);
      signer.catch(() => signers.delete(key));
      signers.set(key, signer);
    }
    return signer;
  };

  const caWindow = (validityDays: number) => {
    const issuedAt = issueInstant(clock.now());
    return {
      notBefore: new Date(issuedAt.getTime() - CLOCK_SKEW_BACKDATE_MS),
      notAfter: new Date(issuedAt.getTime() + validityDays * DAY_MS),
    };
  };

  /** A CA made on request (`POST /api/certificate-authorities`), ACTIVE at once. */
  const createAuthority = async (input: NewAuthorityInput): Promise<CertificateAuthorityRecord> => {
    const id = newOcid('certificateauthority');
    const window = caWindow(input.validityDays);
    const made = await createCaCertificate({ commonName: input.name, ...window });
    const nowIso = clock.now().toISOString();
    return inTransaction(db, () =>
      repo.insertAuthority({
        id,
        compartmentId: input.compartmentId,
        name: input.name,
        meshId: null,
        status: 'ACTIVE',
        validityDays: input.validityDays,
        maxLeafValidity: input.maximumLeafValidity,
        serialNumber: made.serialNumber,
        notBefore: window.notBefore.toISOString(),
        notAfter: window.notAfter.toISOString(),
        certificatePem: made.certificatePem,
        sealedPrivateKey: keyring.seal(made.privateKeyPkcs8, authorityKeyContext(id)),
        createdAt: nowIso,
        updatedAt: nowIso,
      }),
    );
  };

  const making = new Map<string, Promise<CertificateAuthorityRecord>>();

  /** The CA, made first when it is still PENDING (idempotent: the first run to commit wins). */
  const ensureAuthority = async (caId: string): Promise<CertificateAuthorityRecord> => {
    const ca = repo.getAuthority(caId);
    if (!ca)
      throw new PermanentJobError(`certificate authority ${caId} is not managed by Meshdeck`);
    if (ca.status === 'ACTIVE') return ca;
    let made = making.get(caId);
    if (!made) {
      made = makeAuthority(ca).finally(() => making.delete(caId));
      making.set(caId, made);
    }
    return made;
  };

  const makeAuthority = async (
    ca: CertificateAuthorityRecord,
  ): Promise<CertificateAuthorityRecord> => {
    const caId = ca.id;
    const window = caWindow(ca.validityDays);
    const made = await createCaCertificate({ commonName: ca.name, ...window });
    inTransaction(db, () =>
      repo.activateAuthority(caId, {
        serialNumber: made.serialNumber,
        notBefore: window.notBefore.toISOString(),
        notAfter: window.notAfter.toISOString(),
        certificatePem: made.certificatePem,
        sealedPrivateKey: keyring.seal(made.privateKeyPkcs8, authorityKeyContext(caId)),
        updatedAt: clock.now().toISOString(),
      }),
    );
    return repo.getAuthority(caId) as CertificateAuthorityRecord;
  };

  /**
   * Issues the next version of `cert` at `now`, answering the due time `dueAt` ('' for the first
   * issue). Returns undefined when the certificate moved on meanwhile (renewed, retired).
   */
  const issueVersion = async (
    cert: CertificateRecord,
    ca: CertificateAuthorityRecord,
    now: Date,
    dueAt: string,
    transaction: Transaction,
  ): Promise<{ version: number; schedule: LeafSchedule } | undefined> => {
    const schedule = leafSchedule({
      issuedAt: issueInstant(now),
      maximumValidityDays: Math.min(cert.maximumValidity, ca.maxLeafValidity),
      caNotAfter: new Date(ca.notAfter as string),
    });
    const authority = await signerFor(ca);
    const made = await leafIssuer.issue(authority.template, {
      commonName: cert.commonName,
      dnsNames: cert.dnsNames,
      notBefore: Date.parse(schedule.notBefore),
      notAfter: Date.parse(schedule.notAfter),
    });
    return transaction(() => {
      const fresh = repo.get(cert.id);
      if (!fresh || fresh.status === 'RETIRED' || fresh.currentVersion !== cert.currentVersion) {
        return undefined;
      }
      const version = (cert.currentVersion ?? 0) + 1;
      const nowIso = clock.now().toISOString();
      repo.insertVersion({
        certificateId: cert.id,
        version,
        dueAt,
        serialNumber: made.serialNumber,
        issuedAt: schedule.issuedAt,
        notBefore: schedule.notBefore,
        notAfter: schedule.notAfter,
        renewAt: schedule.renewAt,
        cappedByCa: schedule.cappedByCa,
        certificatePem: made.certificatePem,
        sealedPrivateKey: keyring.seal(made.privateKeyPkcs8, leafKeyContext(cert.id, version)),
        createdAt: nowIso,
      });
      repo.update({
        ...fresh,
        status: 'ACTIVE',
        currentVersion: version,
        renewAt: schedule.renewAt,
        notAfter: schedule.notAfter,
        failureCode: null,
        failureMessage: null,
        failedAt: null,
        updatedAt: nowIso,
      });
      return { version, schedule };
    });
  };

  /**
   * One run of a certificate's job: the first issue, or the renewal when it is due, or nothing
   * yet. The job then sleeps until the (new) renewAt: one job per certificate, one version per
   * due time.
   */
  const processCertificate = async (
    certificateId: string,
    transaction: Transaction = defaultTransaction,
  ): Promise<JobResult> => {
    const cert = repo.get(certificateId);
    if (!cert) return { note: 'certificate not found' };
    if (cert.status === 'RETIRED' || cert.status === 'EXTERNAL') {
      return { note: `certificate is ${cert.status}` };
    }
    const ca = await ensureAuthority(cert.caId);
    const now = clock.now();
    const caNotAfter = ca.notAfter as string;
    if (cert.currentVersion === null) {
      if (now.getTime() >= Date.parse(caNotAfter)) {
        throw new PermanentJobError(caExpiredMessage(caNotAfter), 'CA_EXPIRED');
      }
      const issued = await issueVersion(cert, ca, now, '', transaction);
      return next(certificateId, issued ? `issued version ${issued.version}` : undefined);
    }
    const action = nextCertificateAction(
      {
        versionCount: repo.countVersions(certificateId),
        renewAt: cert.renewAt as string,
        caNotAfter,
        ...(cert.notAfter ? { notAfter: cert.notAfter } : {}),
      },
      now,
    );
    if (action.type === 'wait') return { reschedule: { runAt: action.until } };
    if (action.type === 'fail') throw new PermanentJobError(action.message, action.code);
    const renewed = await issueVersion(cert, ca, now, cert.renewAt as string, transaction);
    return next(certificateId, renewed ? `renewed: version ${renewed.version}` : undefined);
  };

  const next = (certificateId: string, note: string | undefined): JobResult => {
    const fresh = repo.get(certificateId);
    const text = note ?? 'already done by another run';
    if (!fresh?.renewAt || fresh.status === 'RETIRED') return { note: text };
    return { note: text, reschedule: { runAt: fresh.renewAt } };
  };

  /** The job failed for good: the certificate shows why; its current version stays in use. */
  const markFailed = (certificateId: string, failure: JobFailure): void => {
    const cert = repo.get(certificateId);
    if (!cert || cert.status === 'RETIRED' || cert.status === 'EXTERNAL') return;
    const nowIso = clock.now().toISOString();
    repo.update({
      ...cert,
      status: 'FAILED',
      failureCode: failure.code ?? 'ERROR',
      failureMessage: failure.message,
      failedAt: nowIso,
      updatedAt: nowIso,
    });
  };

  const mustGet = (certificateId: string): CertificateRecord => {
    const cert = repo.get(certificateId);
    if (!cert) throw new NotFoundError(`certificate ${certificateId} not found`);
    return cert;
  };

  return {
    createAuthority,
    ensureAuthority,
    processCertificate,

    /**
     * For lifecycle jobs (CREATING → ACTIVE): issues the first version now unless it exists.
     * Throws (PermanentJobError) when it cannot be issued.
     */
    async ensureIssued(certificateId: string): Promise<CertificateRecord> {
      const cert = mustGet(certificateId);
      if (cert.currentVersion === null && cert.status !== 'EXTERNAL') {
        await processCertificate(certificateId);
      }
      return mustGet(certificateId);
    },

    registerJobs(runner: JobRunner): void {
      runner.register<CertificateJobPayload>(
        CERTIFICATE_JOB,
        (ctx: JobContext<CertificateJobPayload>) =>
          processCertificate(ctx.payload.certificateId, ctx.groupTransaction),
        {
          maxAttempts: 8,
          // A batch's leaves are issued on the worker threads together, and their versions and
          // the runs' settlements committed in one transaction each (decision 009).
          groupCommit: true,
          onFailure: (job: Job, failure) =>
            markFailed((job.payload as CertificateJobPayload).certificateId, failure),
        },
      );
      runner.register<CertificateAuthorityJobPayload>(
        CERTIFICATE_AUTHORITY_JOB,
        async (ctx) => {
          const ca = await ensureAuthority(ctx.payload.caId);
          return { note: `CA valid until ${ca.notAfter}` };
        },
        { maxAttempts: 8 },
      );
    },

    /** Deletes one old version; the current one stays (it is in use). */
    deleteVersion(certificateId: string, version: number): void {
      inTransaction(db, () => {
        const cert = mustGet(certificateId);
        if (version === cert.currentVersion) {
          throw new ConflictError(
            `version ${version} is the current version of ${cert.commonName} and stays in use`,
          );
        }
        if (!repo.deleteVersion(certificateId, version)) {
          throw new NotFoundError(`certificate ${certificateId} has no version ${version}`);
        }
      });
    },

    /** Deletes every version but the current one; returns how many went. */
    deleteOldVersions(certificateId: string): number {
      return inTransaction(db, () => {
        const cert = mustGet(certificateId);
        if (cert.currentVersion === null) return 0;
        return repo.deleteVersionsExcept(certificateId, cert.currentVersion);
      });
    },

    /** Runs a failed certificate's job again, now (after old versions were deleted, say). */
    retry(certificateId: string): Job {
      return inTransaction(db, () => {
        const cert = mustGet(certificateId);
        if (cert.status !== 'FAILED') {
          throw new ConflictError(
            `certificate ${cert.commonName} is ${cert.status}; only a failed certificate is retried`,
          );
        }
        return deps.jobs.enqueue<CertificateJobPayload>(
          CERTIFICATE_JOB,
          { certificateId },
          {
            subjectId: certificateId,
            dedupeKey: certificateJobKey(certificateId),
            onDuplicate: 'runAt',
            runAt: clock.now(),
          },
        );
      });
    },
  };
}

export type CertificateService = ReturnType<typeof createCertificateService>;
