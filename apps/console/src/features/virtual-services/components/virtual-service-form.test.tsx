import type { MtlsMode } from '@meshdeck/domain';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MeshSummary, VirtualServiceDetailView } from '@meshdeck/domain';
import { stubFetch, type StubCall, type StubHandler } from '../../../test/fetch-stub.ts';
import { renderRoutes } from '../../../test/render.tsx';
import { VirtualServiceEditPage } from '../pages/virtual-service-edit-page.tsx';
import { VirtualServiceNewPage } from '../pages/virtual-service-new-page.tsx';

const COMPARTMENT = 'ocid1.compartment.oc1..meshdeckdemo';

function mesh(id: string, minimum: MtlsMode): MeshSummary {
  return {
    id,
    displayName: id,
    compartmentId: COMPARTMENT,
    lifecycleState: 'ACTIVE',
    timeCreated: '2025-03-01T00:00:00Z',
    minimum,
    minimumChangedAt: null,
    certificateAuthority: { id: `ca-${id}`, external: false },
    counts: {
      virtualServices: 0,
      virtualDeployments: 0,
      virtualServiceRouteTables: 0,
      ingressGateways: 0,
      ingressGatewayRouteTables: 0,
      accessPolicies: 0,
    },
    modeCounts: { STRICT: 0, PERMISSIVE: 0, DISABLED: 0, inherited: 0 },
  };
}

const MESHES = [
  mesh('payments-mesh', 'STRICT'),
  mesh('retail-mesh', 'PERMISSIVE'),
  mesh('sandbox-mesh', 'DISABLED'),
];

const BELOW_STRICT = (mode: string) => `${mode} is less strict than mesh minimum STRICT`;

function created(call: StubCall) {
  const body = call.body as { name: string; meshId: string };
  return { status: 201, body: { id: `ocid1.vs.${body.name}`, name: body.name } };
}

function renderNew(path: string, post: StubHandler = created) {
  const calls = stubFetch({
    'GET /api/meshes': () => ({ body: { items: MESHES } }),
    'POST /api/virtual-services': post,
  });
  const view = renderRoutes(
    [
      { path: '/meshes/:meshId/services/new', element: <VirtualServiceNewPage /> },
      { path: '/virtual-services/new', element: <VirtualServiceNewPage /> },
      { path: '/virtual-services/:id', element: <p>Virtual service page</p> },
    ],
    path,
  );
  const posts = () => calls.filter((c) => c.method === 'POST');
  return { ...view, calls, posts };
}

async function modeGroup() {
  return screen.findByRole('radiogroup', { name: 'mTLS mode' });
}

describe('VirtualServiceForm', () => {
  it('preselects "Inherit from mesh (STRICT)" in a STRICT mesh and greys out DISABLED and PERMISSIVE with the reason', async () => {
    renderNew('/meshes/payments-mesh/services/new');
    const group = await modeGroup();

    expect(screen.getByLabelText('Mesh')).toHaveValue('payments-mesh');
    expect(within(group).getByRole('radio', { name: 'Inherit from mesh (STRICT)' })).toBeChecked();
    for (const mode of ['DISABLED', 'PERMISSIVE']) {
      const radio = within(group).getByRole('radio', { name: mode });
      expect(radio).toBeDisabled();
      expect(radio).toHaveAccessibleDescription(BELOW_STRICT(mode));
    }
    expect(within(group).getByRole('radio', { name: 'STRICT' })).toBeEnabled();
    expect(within(group).getByText(BELOW_STRICT('PERMISSIVE'))).toBeVisible();
  });

  it('clears the mode error as soon as the mesh changes to one that allows the mode, and brings it back on the way back', async () => {
    const { user } = renderNew('/meshes/sandbox-mesh/services/new');
    const group = await modeGroup();
    await user.click(within(group).getByRole('radio', { name: 'PERMISSIVE' }));

    await user.selectOptions(screen.getByLabelText('Mesh'), 'payments-mesh');
    await waitFor(() =>
      expect(group).toHaveAccessibleDescription(new RegExp(BELOW_STRICT('PERMISSIVE'))),
    );
    expect(within(group).getByRole('radio', { name: 'PERMISSIVE' })).toHaveAttribute(
      'aria-invalid',
      'true',
    );

    await user.selectOptions(screen.getByLabelText('Mesh'), 'sandbox-mesh');
    await waitFor(() => expect(group).not.toHaveAccessibleDescription(/less strict/));
    expect(within(group).getByRole('radio', { name: 'PERMISSIVE' })).toBeChecked();
    expect(screen.getByRole('button', { name: 'Create virtual service' })).toBeEnabled();

    await user.selectOptions(screen.getByLabelText('Mesh'), 'payments-mesh');
    await waitFor(() =>
      expect(group).toHaveAccessibleDescription(new RegExp(BELOW_STRICT('PERMISSIVE'))),
    );
  });

  it('shows an empty name and a disallowed mode together on submit', async () => {
    const { user, posts } = renderNew('/meshes/sandbox-mesh/services/new');
    const group = await modeGroup();
    await user.click(within(group).getByRole('radio', { name: 'PERMISSIVE' }));
    await user.selectOptions(screen.getByLabelText('Mesh'), 'payments-mesh');

    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/required/),
    );
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(group).toHaveAccessibleDescription(new RegExp(BELOW_STRICT('PERMISSIVE')));
    expect(posts()).toHaveLength(0);
  });

  it('flags a mode left over from the previous mesh and never submits it', async () => {
    const { user, posts } = renderNew('/meshes/sandbox-mesh/services/new');
    const group = await modeGroup();
    await user.type(screen.getByLabelText('Name'), 'x');
    await user.click(within(group).getByRole('radio', { name: 'DISABLED' }));
    await user.selectOptions(screen.getByLabelText('Mesh'), 'payments-mesh');

    const stale = within(group).getByRole('radio', { name: 'DISABLED' });
    expect(stale).toBeChecked();
    expect(stale).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));

    await waitFor(() =>
      expect(group).toHaveAccessibleDescription(new RegExp(BELOW_STRICT('DISABLED'))),
    );
    expect(posts()).toHaveLength(0);
  });

  it('submits no mode at all when "Inherit from mesh" is chosen', async () => {
    const { user, posts } = renderNew('/meshes/retail-mesh/services/new');
    const group = await modeGroup();
    expect(
      within(group).getByRole('radio', { name: 'Inherit from mesh (PERMISSIVE)' }),
    ).toBeChecked();
    await user.type(screen.getByLabelText('Name'), 'orders2');
    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));

    expect(await screen.findByText('Virtual service page')).toBeVisible();
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.body).toEqual({
      compartmentId: COMPARTMENT,
      meshId: 'retail-mesh',
      name: 'orders2',
      hosts: [],
      defaultRoutingPolicy: { type: 'UNIFORM' },
    });
  });

  it('sends a declared mode that the mesh allows, stricter than its minimum', async () => {
    const { user, posts } = renderNew('/meshes/retail-mesh/services/new');
    const group = await modeGroup();
    await user.type(screen.getByLabelText('Name'), 'ledger2');
    await user.click(within(group).getByRole('radio', { name: 'STRICT' }));
    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));

    await screen.findByText('Virtual service page');
    expect(posts()[0]?.body).toMatchObject({ mtls: { mode: 'STRICT' } });
  });

  it('keeps an empty maximum validity empty instead of sending 0, and checks the 45–90 day range', async () => {
    const { user, posts } = renderNew('/meshes/retail-mesh/services/new');
    await modeGroup();
    const validity = screen.getByLabelText('Maximum certificate validity (days)');
    await user.type(screen.getByLabelText('Name'), 'catalog');
    await user.type(validity, '30');
    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));

    await waitFor(() => expect(validity).toHaveAccessibleDescription(/between 45 and 90 days/));
    expect(posts()).toHaveLength(0);

    await user.clear(validity);
    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));
    await screen.findByText('Virtual service page');
    expect(posts()[0]?.body).not.toHaveProperty('mtls');
  });

  it('lets the host list be filled and emptied again', async () => {
    const { user, posts } = renderNew('/meshes/retail-mesh/services/new');
    await modeGroup();
    await user.type(screen.getByLabelText('Name'), 'cart');
    await user.click(screen.getByRole('button', { name: 'Add host' }));
    await user.type(screen.getByLabelText('Host 1'), 'cart.retail.svc');
    await user.click(screen.getByRole('button', { name: 'Add host' }));
    await user.type(screen.getByLabelText('Host 2'), 'cart');
    await user.click(screen.getByRole('button', { name: 'Remove host 2' }));
    await user.click(screen.getByRole('button', { name: 'Remove host 1' }));
    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));

    await screen.findByText('Virtual service page');
    expect(posts()[0]?.body).toMatchObject({ hosts: [] });
  });

  it('puts the server’s field errors on their fields and other errors in a form alert', async () => {
    let reply = {
      status: 400,
      body: {
        code: 'InvalidParameter',
        message: 'invalid virtual service',
        details: {
          fieldErrors: {
            name: ['name cart is already taken in this mesh'],
            'mtls.mode': [BELOW_STRICT('PERMISSIVE')],
          },
        },
      },
    };
    const { user } = renderNew('/meshes/retail-mesh/services/new', () => reply);
    await modeGroup();
    await user.type(screen.getByLabelText('Name'), 'cart');
    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/already taken/),
    );
    expect(await modeGroup()).toHaveAccessibleDescription(new RegExp(BELOW_STRICT('PERMISSIVE')));
    expect(screen.queryByRole('alert')).toBeNull();

    reply = {
      status: 500,
      body: { code: 'InternalServerError', message: 'store unavailable' },
    } as typeof reply;
    await user.clear(screen.getByLabelText('Name'));
    await user.type(screen.getByLabelText('Name'), 'cart3');
    await user.click(screen.getByRole('button', { name: 'Create virtual service' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('store unavailable');
  });
});

describe('VirtualServiceEditPage', () => {
  const vs: VirtualServiceDetailView = {
    id: 'ocid1.vs.ledger',
    compartmentId: COMPARTMENT,
    meshId: 'payments-mesh',
    name: 'ledger',
    description: 'ledger v1',
    hosts: ['ledger.payments.svc'],
    defaultRoutingPolicy: { type: 'UNIFORM' },
    lifecycleState: 'ACTIVE',
    timeCreated: '2025-03-01T00:00:00Z',
    mtls: { certificateId: 'cert-1', mode: 'STRICT', maximumValidity: 45 },
    mtlsView: {
      declared: 'STRICT',
      effective: 'STRICT',
      inherited: false,
      label: 'STRICT',
      lastChangedAt: null,
    },
    meshMinimum: 'STRICT',
  };

  function renderEdit(handlers: Record<string, StubHandler> = {}) {
    const calls = stubFetch({
      'GET /api/virtual-services/ocid1.vs.ledger': () => ({ body: vs, headers: { etag: 'v1' } }),
      'GET /api/meshes': () => ({ body: { items: MESHES } }),
      'PUT /api/virtual-services/ocid1.vs.ledger': () => ({ body: vs, headers: { etag: 'v2' } }),
      ...handlers,
    });
    const view = renderRoutes(
      [
        { path: '/virtual-services/:id/edit', element: <VirtualServiceEditPage /> },
        { path: '/virtual-services/:id', element: <p>Virtual service page</p> },
      ],
      '/virtual-services/ocid1.vs.ledger/edit',
    );
    const puts = () => calls.filter((c) => c.method === 'PUT');
    return { ...view, calls, puts };
  }

  it('shows mesh and name read-only and sends only the changed field, with the etag it loaded', async () => {
    const { user, puts } = renderEdit();
    const name = await screen.findByLabelText('Name');
    expect(name).toHaveValue('ledger');
    expect(name).toHaveAttribute('readonly');
    expect(screen.getByLabelText('Mesh')).toHaveAttribute('readonly');
    expect(screen.getByRole('radio', { name: 'STRICT' })).toBeChecked();

    await user.clear(screen.getByLabelText('Description'));
    await user.type(screen.getByLabelText('Description'), 'ledger v2');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await screen.findByText('Virtual service page');
    expect(puts()).toHaveLength(1);
    expect(puts()[0]?.body).toEqual({ description: 'ledger v2' });
    expect(puts()[0]?.headers['if-match']).toBe('v1');
  });

  it('sends the whole host list when a host was removed, and nothing else', async () => {
    const { user, puts } = renderEdit();
    await user.click(await screen.findByRole('button', { name: 'Remove host 1' }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await screen.findByText('Virtual service page');
    expect(puts()[0]?.body).toEqual({ hosts: [] });
  });

  it('sends mtls null when the mode goes back to inherit, and no mtls for a field typed and restored', async () => {
    const retail: VirtualServiceDetailView = {
      ...vs,
      meshId: 'retail-mesh',
      meshMinimum: 'PERMISSIVE',
      mtlsView: { ...vs.mtlsView, declared: 'STRICT' },
    };
    const { user, puts } = renderEdit({
      'GET /api/virtual-services/ocid1.vs.ledger': () => ({
        body: retail,
        headers: { etag: 'v1' },
      }),
    });
    const group = await modeGroup();
    await user.type(screen.getByLabelText('Description'), 'x');
    await user.type(screen.getByLabelText('Description'), '{Backspace}');
    await user.click(within(group).getByRole('radio', { name: 'Inherit from mesh (PERMISSIVE)' }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await screen.findByText('Virtual service page');
    expect(puts()[0]?.body).toEqual({ mtls: null });
  });

  it('says the service changed meanwhile on a 412, and Reload resets the form to the latest version', async () => {
    let current = vs;
    let etag = 'v1';
    const { user, puts } = renderEdit({
      'GET /api/virtual-services/ocid1.vs.ledger': () => ({ body: current, headers: { etag } }),
      'PUT /api/virtual-services/ocid1.vs.ledger': (call) =>
        call.headers['if-match'] === etag
          ? { body: current, headers: { etag: 'v3' } }
          : {
              status: 412,
              body: {
                code: 'NoEtagMatch',
                message: 'the resource was changed since it was read (if-match does not match)',
              },
            },
    });
    const description = await screen.findByLabelText('Description');
    // Someone else saves a new description while this form is open.
    current = { ...vs, description: 'changed elsewhere', hosts: ['ledger', 'ledger.v2'] };
    etag = 'v2';

    await user.clear(description);
    await user.type(description, 'mine');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'This virtual service was changed by someone else since you opened it. Reload to see the latest version.',
    );
    expect(puts()[0]?.headers['if-match']).toBe('v1');
    expect(screen.queryByText('Virtual service page')).toBeNull();

    await user.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Description')).toHaveValue('changed elsewhere'),
    );
    expect(screen.getByLabelText('Host 2')).toHaveValue('ledger.v2');
    expect(screen.queryByRole('alert')).toBeNull();

    await user.type(screen.getByLabelText('Description'), ' and mine');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText('Virtual service page');
    expect(puts()[1]?.headers['if-match']).toBe('v2');
    expect(puts()[1]?.body).toEqual({ description: 'changed elsewhere and mine' });
  });

  it('keeps the etag it opened on when the query refetches in the background', async () => {
    let etag = 'v1';
    const { user, puts, queryClient } = renderEdit({
      'GET /api/virtual-services/ocid1.vs.ledger': () => ({ body: vs, headers: { etag } }),
      'PUT /api/virtual-services/ocid1.vs.ledger': () => ({
        status: 412,
        body: { code: 'NoEtagMatch', message: 'stale' },
      }),
    });
    await user.type(await screen.findByLabelText('Description'), ' edited');
    etag = 'v2';
    await queryClient.refetchQueries({ queryKey: ['virtual-services', 'detail'] });

    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByRole('alert');
    expect(puts()[0]?.headers['if-match']).toBe('v1');
    expect(screen.getByLabelText('Description')).toHaveValue('ledger v1 edited');
  });
});

describe('mesh picker', () => {
  it('tells meshes with the same name apart', async () => {
    const twins = [
      { ...mesh('ocid1.servicemesh.oc1.local.aaaa111111', 'PERMISSIVE'), displayName: 'bookinfo' },
      {
        ...mesh('ocid1.servicemesh.oc1.local.bbbb222222', 'PERMISSIVE'),
        displayName: 'bookinfo',
        timeCreated: '2025-03-02T10:30:00Z',
      },
      mesh('payments-mesh', 'STRICT'),
    ];
    stubFetch({ 'GET /api/meshes': () => ({ body: { items: twins } }) });
    renderRoutes(
      [{ path: '/virtual-services/new', element: <VirtualServiceNewPage /> }],
      '/virtual-services/new',
    );
    await modeGroup();
    const options = within(screen.getByLabelText('Mesh'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual([
      'Select a mesh…',
      'bookinfo (minimum PERMISSIVE) · id …111111 · created 2025-03-01 00:00 UTC',
      'bookinfo (minimum PERMISSIVE) · id …222222 · created 2025-03-02 10:30 UTC',
      'payments-mesh (minimum STRICT)',
    ]);
  });
});
