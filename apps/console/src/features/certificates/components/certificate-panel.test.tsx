import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../../../test/fetch-stub.ts';
import { renderRoutes } from '../../../test/render.tsx';
import type { CertificateDetail, CertificateVersionView } from '@meshdeck/domain';
import { CertificatePanel } from './certificate-panel.tsx';
import { DemoClockControl } from './demo-clock-control.tsx';

const ID = 'ocid1.certificate.oc1..ledger';
const PATH = `/api/certificates/${ID}`;

function version(n: number, status: CertificateVersionView['status']): CertificateVersionView {
  return {
    version: n,
    serialNumber: `0${n}`,
    issuedAt: '2025-03-01T00:00:00.000Z',
    notBefore: '2025-02-28T23:55:00.000Z',
    notAfter: '2025-04-15T00:00:00.000Z',
    renewAt: '2025-03-31T00:00:00.000Z',
    cappedByCa: false,
    status,
    certificatePem: '-----BEGIN CERTIFICATE-----',
  };
}

function detail(overrides: Partial<CertificateDetail> = {}): CertificateDetail {
  return {
    id: ID,
    meshId: 'm',
    caId: 'ca',
    resource: { kind: 'VirtualService', id: 'vs', name: 'ledger' },
    dnsNames: ['ledger.svc'],
    maximumValidity: 45,
    status: 'ACTIVE',
    currentVersion: 2,
    versionCount: 2,
    versionLimit: 30,
    issuedAt: '2025-03-31T00:00:00.000Z',
    notBefore: '2025-03-30T23:55:00.000Z',
    notAfter: '2025-05-15T00:00:00.000Z',
    renewAt: '2025-04-30T00:00:00.000Z',
    cappedByCa: false,
    failure: null,
    alerts: [],
    timeCreated: '2025-03-01T00:00:00.000Z',
    timeUpdated: '2025-03-31T00:00:00.000Z',
    authority: {
      id: 'ca',
      name: 'payments CA',
      compartmentId: 'ocid1.compartment.oc1..test',
      meshId: 'mesh',
      status: 'ACTIVE',
      validityDays: 365,
      serialNumber: '01',
      notBefore: '2025-02-28T23:55:00.000Z',
      notAfter: '2026-03-01T00:00:00.000Z',
      expired: false,
      certificatePem: null,
      maximumLeafValidity: 90,
      timeCreated: '2025-02-28T23:55:00.000Z',
    },
    versions: [version(2, 'CURRENT'), version(1, 'SUPERSEDED')],
    runs: [],
    ...overrides,
  };
}

function renderPanel() {
  return renderRoutes([{ path: '/', element: <CertificatePanel certificateId={ID} /> }], '/');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('CertificatePanel', () => {
  it('shows the current version, its validity, the next renewal and the versions', async () => {
    stubFetch({ [`GET ${PATH}`]: () => ({ body: detail() }) });
    renderPanel();
    const panel = await screen.findByRole('region', { name: 'Certificate' });
    expect(await within(panel).findByText('2025-04-30 00:00 UTC')).toBeInTheDocument();
    expect(within(panel).getByText('2 of 30')).toBeInTheDocument();
    const rows = within(within(panel).getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1] as HTMLElement).queryByRole('button')).toBeNull();
    expect(
      within(rows[2] as HTMLElement).getByRole('button', { name: 'Delete version 1' }),
    ).toBeInTheDocument();
  });

  it('offers to delete old versions and retry when the version limit stopped the renewal', async () => {
    const versions = Array.from({ length: 30 }, (_, i) =>
      version(30 - i, i === 0 ? 'CURRENT' : 'SUPERSEDED'),
    );
    const failed = detail({
      status: 'FAILED',
      currentVersion: 30,
      versionCount: 30,
      versions,
      failure: {
        code: 'VERSION_LIMIT',
        message: 'version limit reached: delete old versions',
        at: null,
      },
      alerts: [
        {
          code: 'RENEWAL_FAILED',
          severity: 'error',
          message: 'version limit reached: delete old versions',
        },
      ],
    });
    const pruned = detail({ ...failed, versionCount: 1, versions: [version(30, 'CURRENT')] });
    const renewed = detail({ currentVersion: 31, versionCount: 2 });
    const calls = stubFetch({
      [`GET ${PATH}`]: () => ({ body: failed }),
      [`DELETE ${PATH}/versions`]: () => ({ body: pruned }),
      [`POST ${PATH}/retry`]: () => ({ body: renewed }),
    });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { user } = renderPanel();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Renewal failed');
    expect(alert).toHaveTextContent('version limit reached: delete old versions');
    expect(alert).toHaveTextContent('Version 30 stays in use until it expires.');
    await user.click(within(alert).getByRole('button', { name: 'Delete old versions' }));
    await user.click(within(alert).getByRole('button', { name: 'Retry renewal' }));
    expect(calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual([
      `DELETE ${PATH}/versions`,
      `POST ${PATH}/retry`,
    ]);
  });
});

function session(role: 'viewer' | 'operator') {
  return {
    signedIn: true,
    user: { id: 'u1', name: role, role },
    permissions: role === 'viewer' ? ['read'] : ['read', 'write'],
    csrfToken: 'csrf-1',
    timeExpires: '2030-01-01T00:00:00.000Z',
  };
}

describe('DemoClockControl', () => {
  it('moves the demo clock forward by the chosen step', async () => {
    const calls = stubFetch({
      'GET /api/session': () => ({ body: session('operator') }),
      'GET /api/clock': () => ({
        body: { now: '2025-03-01T00:00:00.000Z', demo: true, offsetMs: 0 },
      }),
      'POST /api/demo/clock/advance': () => ({
        body: { now: '2025-03-31T00:00:00.000Z', demo: true, offsetMs: 2_592_000_000 },
      }),
    });
    const { user } = renderRoutes([{ path: '/', element: <DemoClockControl /> }], '/');
    const group = await screen.findByRole('group', { name: 'Demo clock' });
    await user.click(await within(group).findByRole('button', { name: '+30 days' }));
    expect(await within(group).findByText('2025-03-31 00:00 UTC')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ seconds: 2_592_000 });
  });

  it('shows a viewer the demo time but no buttons that move it (a write)', async () => {
    stubFetch({
      'GET /api/session': () => ({ body: session('viewer') }),
      'GET /api/clock': () => ({
        body: { now: '2025-03-01T00:00:00.000Z', demo: true, offsetMs: 0 },
      }),
    });
    renderRoutes([{ path: '/', element: <DemoClockControl /> }], '/');
    const group = await screen.findByRole('group', { name: 'Demo clock' });
    expect(await within(group).findByText('2025-03-01 00:00 UTC')).toBeInTheDocument();
    expect(within(group).queryByRole('button')).toBeNull();
  });

  it('shows nothing without a demo clock', async () => {
    stubFetch({
      'GET /api/clock': () => ({
        body: { now: '2025-03-01T00:00:00.000Z', demo: false, offsetMs: null },
      }),
    });
    const { container } = renderRoutes([{ path: '/', element: <DemoClockControl /> }], '/');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container).toBeEmptyDOMElement();
  });
});
