import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { VirtualServiceDetailView } from '@meshdeck/domain';
import { stubFetch } from '../../../test/fetch-stub.ts';
import { renderRoutes } from '../../../test/render.tsx';
import { VirtualServiceDetailPage } from './virtual-service-detail-page.tsx';

const vs: VirtualServiceDetailView = {
  id: 'ocid1.vs.ledger',
  compartmentId: 'ocid1.compartment.oc1..payments',
  meshId: 'payments-mesh',
  name: 'ledger',
  hosts: ['ledger.payments.svc'],
  lifecycleState: 'ACTIVE',
  timeCreated: '2025-03-01T00:00:00Z',
  mtlsView: {
    declared: 'STRICT',
    effective: 'STRICT',
    inherited: false,
    label: 'STRICT',
    lastChangedAt: null,
  },
  meshMinimum: 'STRICT',
};

const meshDetail = {
  mesh: { id: 'payments-mesh', displayName: 'payments-mesh' },
  summary: { minimum: 'STRICT' },
  virtualServices: [vs],
  virtualDeployments: [],
  virtualServiceRouteTables: [],
  findings: [],
};

/** An operator's session: the page shows Edit and Delete only to roles that may write. */
const operatorSession = {
  signedIn: true,
  user: { id: 'u1', name: 'olga', role: 'operator' },
  permissions: ['read', 'write'],
  csrfToken: 'csrf-1',
  timeExpires: '2030-01-01T00:00:00.000Z',
};

describe('VirtualServiceDetailPage', () => {
  it('asks first, naming what depends on the service, and deletes the version on screen (if-match)', async () => {
    let etag = 'v1';
    let dependants = [{ kind: 'VirtualDeployment', id: 'ocid1.vd.v1', name: 'ledger-v1' }];
    const calls = stubFetch({
      'GET /api/virtual-services/ocid1.vs.ledger': () => ({ body: vs, headers: { etag } }),
      'GET /api/virtual-services/ocid1.vs.ledger/dependants': () => ({
        body: { items: dependants },
      }),
      'GET /api/meshes/payments-mesh': () => ({ body: meshDetail }),
      'GET /api/session': () => ({ body: operatorSession }),
      'DELETE /api/virtual-services/ocid1.vs.ledger': (call) =>
        call.headers['if-match'] === etag
          ? { status: 204 }
          : { status: 412, body: { code: 'NoEtagMatch', message: 'if-match does not match' } },
    });
    const { user } = renderRoutes(
      [
        { path: '/virtual-services/:id', element: <VirtualServiceDetailPage /> },
        { path: '/meshes/:meshId/services', element: <p>Services of the mesh</p> },
      ],
      '/virtual-services/ocid1.vs.ledger',
    );
    await screen.findByRole('heading', { name: 'ledger' });

    // A deployment still uses it: the dialog names it and will not delete.
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    let dialog = await screen.findByRole('dialog', { name: 'Delete virtual service ledger?' });
    expect(
      await within(dialog).findByRole('list', { name: 'Affected resources' }),
    ).toHaveTextContent('ledger-v1');
    expect(within(dialog).getByRole('button', { name: 'Delete' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);

    // Nothing depends on it any more, but someone changed it meanwhile: 412, then the page reloads
    // the latest version and the second attempt deletes that one.
    dependants = [];
    etag = 'v2';
    await user.click(screen.getAllByRole('button', { name: 'Delete' })[0]!);
    dialog = await screen.findByRole('dialog', { name: 'Delete virtual service ledger?' });
    await within(dialog).findByText('Nothing else uses it. This cannot be undone.');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'It was changed by someone else since you opened it.',
    );
    await waitFor(() =>
      expect(
        calls.filter(
          (c) => c.method === 'GET' && c.path === '/api/virtual-services/ocid1.vs.ledger',
        ),
      ).toHaveLength(2),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await screen.findByText('Services of the mesh');
    const deletes = calls.filter((c) => c.method === 'DELETE');
    expect(deletes.map((c) => c.headers['if-match'])).toEqual(['v1', 'v2']);
  });
});
