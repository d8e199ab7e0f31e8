import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MeshSummary } from '@meshdeck/domain';
import { renderRoutes } from '../../../test/render.tsx';
import { MeshTable } from './mesh-table.tsx';

function mesh(id: string, displayName: string, compartmentId: string): MeshSummary {
  return {
    id,
    displayName,
    compartmentId,
    lifecycleState: 'ACTIVE',
    timeCreated: '2025-03-01T00:00:00Z',
    minimum: 'PERMISSIVE',
    minimumChangedAt: null,
    certificateAuthority: { id: 'ca', external: false },
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

describe('MeshTable', () => {
  it('shows the distinctive end of each compartment, with the full OCID to read and copy', () => {
    renderRoutes(
      [
        {
          path: '/',
          element: (
            <MeshTable
              meshes={[
                mesh(
                  'ocid1.servicemesh.oc1..shop',
                  'shop-mesh',
                  'ocid1.compartment.oc1..meshdeckdemo',
                ),
                mesh('ocid1.servicemesh.oc1..bi', 'bookinfo', 'ocid1.compartment.oc1..staging'),
              ]}
            />
          ),
        },
      ],
      '/',
    );
    const shop = screen.getByRole('row', { name: /shop-mesh/ });
    expect(within(shop).getByText('…meshdeckdemo')).toHaveAttribute(
      'title',
      'ocid1.compartment.oc1..meshdeckdemo',
    );
    expect(
      within(shop).getByRole('button', {
        name: 'Copy compartment OCID ocid1.compartment.oc1..meshdeckdemo',
      }),
    ).toBeEnabled();
    expect(
      within(screen.getByRole('row', { name: /bookinfo/ })).getByText('…staging'),
    ).toBeVisible();
    expect(screen.queryByText(/ocid1\.compartment\.oc…/)).toBeNull();
  });

  it('adds the end of the mesh id to rows whose names are the same', () => {
    renderRoutes(
      [
        {
          path: '/',
          element: (
            <MeshTable
              meshes={[
                mesh('ocid1.servicemesh.oc1.local.aaa111', 'bookinfo', 'ocid1.compartment.oc1..x'),
                mesh('ocid1.servicemesh.oc1.local.bbb222', 'bookinfo', 'ocid1.compartment.oc1..x'),
                mesh('ocid1.servicemesh.oc1.local.ccc333', 'shop-mesh', 'ocid1.compartment.oc1..x'),
              ]}
            />
          ),
        },
      ],
      '/',
    );
    expect(screen.getByText('id …aaa111')).toBeVisible();
    expect(screen.getByText('id …bbb222')).toBeVisible();
    expect(screen.queryByText('id …ccc333')).toBeNull();
  });
});
