import { describe, expect, it } from 'vitest';
import { formatOciCall, ociCallFor } from './oci-call.ts';

describe('ociCallFor', () => {
  it('maps a create, an update and a delete to the OCI path and method, body unchanged', () => {
    const body = { name: 'reviews-rt', routeRules: [{ destinations: [{ weight: 0 }] }] };
    expect(ociCallFor('VirtualServiceRouteTable', 'create', { body })).toEqual({
      method: 'POST',
      path: '/20220615/virtualServiceRouteTables',
      body,
    });
    expect(
      ociCallFor('Mesh', 'update', { id: 'ocid1.mesh.oc1..a', body: { description: '' } }),
    ).toEqual({
      method: 'PUT',
      path: '/20220615/meshes/ocid1.mesh.oc1..a',
      body: { description: '' },
    });
    expect(ociCallFor('VirtualDeployment', 'delete', { id: 'ocid1.x' })).toEqual({
      method: 'DELETE',
      path: '/20220615/virtualDeployments/ocid1.x',
    });
  });

  it('formats the call with a pretty JSON body that keeps a zero weight', () => {
    const text = formatOciCall(
      ociCallFor('VirtualServiceRouteTable', 'update', { id: 'rt', body: { priority: 0 } }),
    );
    expect(text).toBe('PUT /20220615/virtualServiceRouteTables/rt\n\n{\n  "priority": 0\n}');
  });
});
