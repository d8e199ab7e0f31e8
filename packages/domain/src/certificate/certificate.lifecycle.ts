/** At most this many versions per certificate, the current one counted (OCI Certificates limit). */
export const MAX_CERTIFICATE_VERSIONS = 30;

/** notBefore is backdated by this much against clock skew between proxies. */
export const CLOCK_SKEW_BACKDATE_MS = 5 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LeafSchedule {
  /** When the leaf was issued (the start of its useful lifetime). */
  issuedAt: string;
  /** issuedAt minus the clock-skew backdate. */
  notBefore: string;
  /** issuedAt + maximum validity, capped by the CA's notAfter. */
  notAfter: string;
  /** issuedAt + 2/3 of (notAfter − issuedAt), exact in UTC milliseconds. */
  renewAt: string;
  /** True when the CA's notAfter shortened the lifetime. */
  cappedByCa: boolean;
}

/**
 * The validity window and renewal time of a leaf issued at `issuedAt`. Renewal falls at 2/3 of the
 * *actual* lifetime (cert-manager PR #4040, case E1), so a lifetime capped by the CA renews earlier
 * in proportion and never in a loop; the same function serves the first issue and every renewal
 * (case E6).
 */
export function leafSchedule(input: {
  issuedAt: Date;
  maximumValidityDays: number;
  caNotAfter: Date;
}): LeafSchedule {
  const start = input.issuedAt.getTime();
  const wanted = start + input.maximumValidityDays * DAY_MS;
  const end = Math.min(wanted, input.caNotAfter.getTime());
  const renew = start + Math.floor(((end - start) * 2) / 3);
  return {
    issuedAt: new Date(start).toISOString(),
    notBefore: new Date(start - CLOCK_SKEW_BACKDATE_MS).toISOString(),
    notAfter: new Date(end).toISOString(),
    renewAt: new Date(renew).toISOString(),
    cappedByCa: end < wanted,
  };
}

export interface CertificateState {
  /** Versions held, the current one counted. */
  versionCount: number;
  /** renewAt of the current version. */
  renewAt: string;
  caNotAfter: string;
}

export type CertificateAction =
  | { type: 'wait'; until: string }
  | { type: 'renew' }
  | { type: 'fail'; code: 'CA_EXPIRED' | 'VERSION_LIMIT'; message: string };

/**
 * What the renewal job should do for one certificate at `now` (pure; STYLE "Certificate jobs").
 * Nothing before renewAt (case E3: no attempt while the next renewal is later than now); at or
 * after it, renew unless the CA has expired (case E7) or the version cap is reached.
 */
export function nextCertificateAction(cert: CertificateState, now: Date): CertificateAction {
  if (now.getTime() < Date.parse(cert.renewAt)) return { type: 'wait', until: cert.renewAt };
  if (now.getTime() >= Date.parse(cert.caNotAfter)) {
    return {
      type: 'fail',
      code: 'CA_EXPIRED',
      message: `mesh CA expired on ${cert.caNotAfter.slice(0, 10)}`,
    };
  }
  if (cert.versionCount >= MAX_CERTIFICATE_VERSIONS) {
    return {
      type: 'fail',
      code: 'VERSION_LIMIT',
      message: 'version limit reached: delete old versions',
    };
  }
  return { type: 'renew' };
}

/**
 * The CA-expiry warning on a mesh page: shown once fewer days remain than the longest maximum
 * validity in the mesh, because from then on new leaves are capped (case E9, our threshold).
 */
export function caExpiryWarning(input: {
  caNotAfter: Date;
  longestMaximumValidityDays: number;
  now: Date;
}): string | undefined {
  const left = input.caNotAfter.getTime() - input.now.getTime();
  const day = input.caNotAfter.toISOString().slice(0, 10);
  if (left <= 0) return `CA expired on ${day}; no certificates can be issued`;
  if (left < input.longestMaximumValidityDays * DAY_MS) {
    return `CA expires ${day}; new leaf certificates will be capped`;
  }
  return undefined;
}
