import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { stubFetch } from '../../../test/fetch-stub.ts';
import { renderRoutes } from '../../../test/render.tsx';
import { VirtualDeploymentEditPage } from './virtual-deployment-edit-page.tsx';
import { VirtualDeploymentNewPage } from './virtual-deployment-new-page.tsx';

const VS = {
  id: 'ocid1.meshvirtualservice.oc1..reviews',
  compartmentId: 'ocid1.compartment.oc1..c',
  meshId: 'mesh1',
  name: 'reviews',
};

const VD = {
  id: 'vd1',
  compartmentId: VS.compartmentId,
  virtualServiceId: VS.id,
  name: 'reviews-v1',
  lifecycleState: 'ACTIVE',
  timeCreated: '2025-03-01T00:00:00.000Z',
  serviceDiscovery: { type: 'DNS', hostname: 'reviews-v1.svc' },
  listeners: [{ protocol: 'HTTP', port: 9080, requestTimeoutInMs: 0 }],
  accessLogging: { isEnabled: false },
  meshId: 'mesh1',
  findings: [],
  related: [],
};

const services = () => ({ body: { items: [VS], total: 1, page: 1, limit: 200 } });

describe('virtual deployment forms', () => {
  it('sends only the emptied listener list, with if-match, and never the name', async () => {
    const calls = stubFetch({
      'GET /api/virtual-deployments/vd1': () => ({ body: VD, headers: { etag: 'e1' } }),
      'GET /api/virtual-services': services,
      'PUT /api/virtual-deployments/vd1': () => ({ body: { ...VD, listeners: [] } }),
    });
    const { user } = renderRoutes(
      [
        { path: '/virtual-deployments/:id/edit', element: <VirtualDeploymentEditPage /> },
        { path: '/virtual-deployments/:id', element: <p>detail page</p> },
      ],
      '/virtual-deployments/vd1/edit',
    );
    // A zero timeout is shown as 0, not as empty.
    expect(await screen.findByLabelText('Listener 1 request timeout (ms)')).toHaveValue('0');
    expect(screen.getByLabelText('Name')).toHaveAttribute('readonly');
    await user.click(screen.getByRole('button', { name: 'Remove listener 1' }));
    expect(screen.getByText('No listeners: the deployment receives no traffic.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('detail page')).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual({ listeners: [] });
    expect(put?.headers['if-match']).toBe('e1');
  });

  it('puts the server field error on its listener field', async () => {
    stubFetch({
      'GET /api/virtual-deployments/vd1': () => ({ body: VD, headers: { etag: 'e1' } }),
      'GET /api/virtual-services': services,
      'PUT /api/virtual-deployments/vd1': () => ({
        status: 400,
        body: {
          code: 'InvalidParameter',
          message: 'listeners[0].port: port 9080 is taken by the sidecar',
          details: { fieldErrors: { 'listeners[0].port': ['port 9080 is taken by the sidecar'] } },
        },
      }),
    });
    const { user } = renderRoutes(
      [{ path: '/virtual-deployments/:id/edit', element: <VirtualDeploymentEditPage /> }],
      '/virtual-deployments/vd1/edit',
    );
    await user.type(await screen.findByLabelText('Description'), 'v1');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByLabelText('Listener 1 port')).toHaveAccessibleDescription(
      /port 9080 is taken by the sidecar/,
    );
  });

  it('shows every error at once and sends nothing: an emptied port stays empty, DNS needs a hostname', async () => {
    const calls = stubFetch({ 'GET /api/virtual-services': services });
    const { user } = renderRoutes(
      [{ path: '/meshes/:meshId/deployments/new', element: <VirtualDeploymentNewPage /> }],
      '/meshes/mesh1/deployments/new',
    );
    await user.clear(await screen.findByLabelText('Listener 1 port'));
    await user.click(screen.getByRole('button', { name: 'Create deployment' }));
    expect(screen.getByLabelText('Listener 1 port')).toHaveValue('');
    expect(await screen.findByLabelText('Listener 1 port')).toHaveAccessibleDescription(
      /enter a port/,
    );
    expect(screen.getByLabelText('Hostname')).toHaveAccessibleDescription(
      /DNS discovery needs a hostname/,
    );
    expect(screen.getByLabelText('Virtual service')).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });
});
