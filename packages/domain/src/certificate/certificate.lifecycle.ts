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
  /** notAfter of the current version; when it already reaches the CA's, renewing cannot help. */
  notAfter?: string;
}

export type CertificateFailureCode = 'CA_EXPIRED' | 'CA_EXPIRING' | 'VERSION_LIMIT';

export type CertificateAction =
  | { type: 'wait'; until: string }
  | { type: 'renew' }
  | { type: 'fail'; code: CertificateFailureCode; message: string };

/** The message of an issue or renewal refused because the mesh CA has expired (case E7). */
export function caExpiredMessage(caNotAfter: string): string {
  return `mesh CA expired on ${caNotAfter.slice(0, 10)}`;
}

/**
 * What the renewal job should do for one certificate at `now` (pure; STYLE "Certificate jobs").
 * Nothing before renewAt (case E3: no attempt while the next renewal is later than now); at or
 * after it, renew unless the CA has expired (case E7), the current version already ends with the
 * CA (a renewal would end there too: renewing at 2/3 of ever shorter lifetimes would spend the
 * versions in a burst before the CA expires — the E3 loop in another guise), or the version cap
 * is reached.
 */
export function nextCertificateAction(cert: CertificateState, now: Date): CertificateAction {
  if (now.getTime() < Date.parse(cert.renewAt)) return { type: 'wait', until: cert.renewAt };
  if (now.getTime() >= Date.parse(cert.caNotAfter)) {
    return { type: 'fail', code: 'CA_EXPIRED', message: caExpiredMessage(cert.caNotAfter) };
  }
  if (cert.notAfter !== undefined && Date.parse(cert.notAfter) >= Date.parse(cert.caNotAfter)) {
    return {
      type: 'fail',
      code: 'CA_EXPIRING',
      message: `mesh CA expires on ${cert.caNotAfter.slice(0, 10)}: a renewal cannot outlast it; renew the mesh CA`,
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

/**
 * X.509 validity times have whole seconds, so certificates are issued at the second (rounded
 * down): what is stored and scheduled is then exactly what the certificate says.
 */
export function issueInstant(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

export type CertificateAlertCode =
  'RENEWAL_FAILED' | 'EXPIRED' | 'EXPIRING' | 'VERSION_LIMIT_NEAR' | 'CA_EXPIRED' | 'CA_EXPIRING';

export interface CertificateAlert {
  code: CertificateAlertCode;
  severity: 'error' | 'warning';
  message: string;
}

/** From this many versions on, the console asks for old versions to be deleted. */
export const VERSION_WARNING_THRESHOLD = MAX_CERTIFICATE_VERSIONS - 3;

/**
 * What an operator must see about one certificate at `now`: a failed renewal, expiry (past, or
 * within the last third of its life without a renewal), versions running out, the CA running out.
 */
export function certificateAlerts(
  cert: {
    notAfter: string | null;
    renewAt: string | null;
    versionCount: number;
    failureMessage: string | null;
    caNotAfter: string | null;
    maximumValidityDays: number;
  },
  now: Date,
): CertificateAlert[] {
  const alerts: CertificateAlert[] = [];
  const t = now.getTime();
  if (cert.failureMessage) {
    alerts.push({ code: 'RENEWAL_FAILED', severity: 'error', message: cert.failureMessage });
  }
  if (cert.notAfter && t >= Date.parse(cert.notAfter)) {
    alerts.push({
      code: 'EXPIRED',
      severity: 'error',
      message: `certificate expired on ${cert.notAfter.slice(0, 10)}`,
    });
  } else if (cert.notAfter && cert.renewAt && t >= Date.parse(cert.renewAt)) {
    alerts.push({
      code: 'EXPIRING',
      severity: 'warning',
      message: `certificate expires on ${cert.notAfter.slice(0, 10)} and is not renewed yet`,
    });
  }
  if (cert.versionCount >= VERSION_WARNING_THRESHOLD && !cert.failureMessage) {
    alerts.push({
      code: 'VERSION_LIMIT_NEAR',
      severity: 'warning',
      message: `${cert.versionCount} of ${MAX_CERTIFICATE_VERSIONS} versions used: delete old versions`,
    });
  }
  if (cert.caNotAfter) {
    const warning = caExpiryWarning({
      caNotAfter: new Date(cert.caNotAfter),
      longestMaximumValidityDays: cert.maximumValidityDays,
      now,
    });
    if (warning) {
      const expired = t >= Date.parse(cert.caNotAfter);
      alerts.push({
        code: expired ? 'CA_EXPIRED' : 'CA_EXPIRING',
        severity: expired ? 'error' : 'warning',
        message: warning,
      });
    }
  }
  return alerts;
}
