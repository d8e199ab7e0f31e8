import { describe, expect, it } from 'vitest';
import {
  caExpiryWarning,
  certificateAlerts,
  issueInstant,
  leafSchedule,
  MAX_CERTIFICATE_VERSIONS,
  nextCertificateAction,
} from './certificate.lifecycle.ts';

const issued = new Date('2025-03-01T00:00:00.000Z');
const farCa = new Date('2030-01-01T00:00:00.000Z');

describe('leafSchedule', () => {
  it.each([
    [45, '2025-04-15T00:00:00.000Z', '2025-03-31T00:00:00.000Z'],
    [60, '2025-04-30T00:00:00.000Z', '2025-04-10T00:00:00.000Z'],
    [90, '2025-05-30T00:00:00.000Z', '2025-04-30T00:00:00.000Z'],
    [50, '2025-04-20T00:00:00.000Z', '2025-04-03T08:00:00.000Z'],
  ])('%i days: notAfter %s, renewal %s (cases E1, E6)', (days, notAfter, renewAt) => {
    const s = leafSchedule({ issuedAt: issued, maximumValidityDays: days, caNotAfter: farCa });
    expect(s.notAfter).toBe(notAfter);
    expect(s.renewAt).toBe(renewAt);
    expect(s.notBefore).toBe('2025-02-28T23:55:00.000Z');
    expect(s.cappedByCa).toBe(false);
  });

  it('renews a renewed 45-day leaf 30 days after its renewal (case E1)', () => {
    const first = leafSchedule({ issuedAt: issued, maximumValidityDays: 45, caNotAfter: farCa });
    const second = leafSchedule({
      issuedAt: new Date(first.renewAt),
      maximumValidityDays: 45,
      caNotAfter: farCa,
    });
    expect(second.notAfter).toBe('2025-05-15T00:00:00.000Z');
    expect(second.renewAt).toBe('2025-04-30T00:00:00.000Z');
  });

  it('caps the lifetime at the CA notAfter and renews at 2/3 of the capped lifetime', () => {
    const s = leafSchedule({
      issuedAt: issued,
      maximumValidityDays: 90,
      caNotAfter: new Date('2025-03-31T00:00:00.000Z'),
    });
    expect(s.notAfter).toBe('2025-03-31T00:00:00.000Z');
    expect(s.renewAt).toBe('2025-03-21T00:00:00.000Z');
    expect(s.cappedByCa).toBe(true);
  });
});

describe('nextCertificateAction', () => {
  const cert = {
    versionCount: 27,
    renewAt: '2025-03-31T00:00:00.000Z',
    caNotAfter: '2030-01-01T00:00:00.000Z',
  };

  it('waits until the renewal time and renews at it (case E3)', () => {
    expect(nextCertificateAction(cert, new Date('2025-03-30T23:59:59.999Z'))).toEqual({
      type: 'wait',
      until: '2025-03-31T00:00:00.000Z',
    });
    expect(nextCertificateAction(cert, new Date('2025-03-31T00:00:00.000Z'))).toEqual({
      type: 'renew',
    });
  });

  it('renews from 29 to 30 versions and refuses at 30', () => {
    const now = new Date('2025-04-01T00:00:00.000Z');
    expect(
      nextCertificateAction({ ...cert, versionCount: MAX_CERTIFICATE_VERSIONS - 1 }, now),
    ).toEqual({
      type: 'renew',
    });
    expect(nextCertificateAction({ ...cert, versionCount: MAX_CERTIFICATE_VERSIONS }, now)).toEqual(
      {
        type: 'fail',
        code: 'VERSION_LIMIT',
        message: 'version limit reached: delete old versions',
      },
    );
  });

  it('issues nothing from an expired CA (case E7)', () => {
    expect(
      nextCertificateAction(
        {
          versionCount: 3,
          renewAt: '2025-07-01T00:00:00.000Z',
          caNotAfter: '2025-06-30T00:00:00.000Z',
        },
        new Date('2025-07-01T00:00:00.000Z'),
      ),
    ).toEqual({ type: 'fail', code: 'CA_EXPIRED', message: 'mesh CA expired on 2025-06-30' });
  });
});

describe('nextCertificateAction near the CA expiry', () => {
  it('refuses a renewal that could only end with the CA again, instead of renewing in a burst', () => {
    const capped = {
      versionCount: 2,
      renewAt: '2025-04-20T16:00:00.000Z',
      caNotAfter: '2025-05-01T00:00:00.000Z',
      notAfter: '2025-05-01T00:00:00.000Z',
    };
    expect(nextCertificateAction(capped, new Date('2025-04-20T16:00:00.000Z'))).toEqual({
      type: 'fail',
      code: 'CA_EXPIRING',
      message: 'mesh CA expires on 2025-05-01: a renewal cannot outlast it; renew the mesh CA',
    });
    expect(
      nextCertificateAction(
        { ...capped, notAfter: '2025-04-30T00:00:00.000Z' },
        new Date('2025-04-20T16:00:00.000Z'),
      ),
    ).toEqual({ type: 'renew' });
  });
});

describe('issueInstant', () => {
  it('issues at the whole second, as X.509 times have no milliseconds', () => {
    expect(issueInstant(new Date('2025-04-03T08:00:00.999Z')).toISOString()).toBe(
      '2025-04-03T08:00:00.000Z',
    );
  });
});

describe('certificateAlerts', () => {
  type Input = Parameters<typeof certificateAlerts>[0];
  const base: Input = {
    notAfter: '2025-04-15T00:00:00.000Z',
    renewAt: '2025-03-31T00:00:00.000Z',
    versionCount: 1,
    failureMessage: null,
    caNotAfter: '2030-01-01T00:00:00.000Z',
    maximumValidityDays: 45,
  };
  const codes = (input: Partial<Input>, at: string) =>
    certificateAlerts({ ...base, ...input }, new Date(at)).map((a) => a.code);

  it.each([
    ['nothing while valid and not due', {}, '2025-03-15T00:00:00.000Z', []],
    ['expiring once due and not renewed', {}, '2025-04-01T00:00:00.000Z', ['EXPIRING']],
    ['expired after notAfter', {}, '2025-04-15T00:00:00.000Z', ['EXPIRED']],
    [
      'a failed renewal',
      { failureMessage: 'version limit reached: delete old versions', versionCount: 30 },
      '2025-04-01T00:00:00.000Z',
      ['RENEWAL_FAILED', 'EXPIRING'],
    ],
    [
      'versions running out',
      { versionCount: 27 },
      '2025-03-15T00:00:00.000Z',
      ['VERSION_LIMIT_NEAR'],
    ],
    [
      'the CA running out',
      { caNotAfter: '2025-04-20T00:00:00.000Z' },
      '2025-03-15T00:00:00.000Z',
      ['CA_EXPIRING'],
    ],
  ] as const)('%s', (_name, input, at, expected) => {
    expect(codes(input, at)).toEqual(expected);
  });
});

describe('caExpiryWarning (case E9)', () => {
  const caNotAfter = new Date('2025-06-30T00:00:00.000Z');
  it('is silent with 107 days left and warns with 86 days left under a 90-day leaf', () => {
    expect(
      caExpiryWarning({
        caNotAfter,
        longestMaximumValidityDays: 90,
        now: new Date('2025-03-15T00:00:00.000Z'),
      }),
    ).toBeUndefined();
    expect(
      caExpiryWarning({
        caNotAfter,
        longestMaximumValidityDays: 90,
        now: new Date('2025-04-05T00:00:00.000Z'),
      }),
    ).toBe('CA expires 2025-06-30; new leaf certificates will be capped');
  });
});
