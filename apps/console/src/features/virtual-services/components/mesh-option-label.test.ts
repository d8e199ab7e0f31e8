import { describe, expect, it } from 'vitest';
import type { MeshChoice } from '../api/virtual-services.api.ts';
import { meshOptionLabel } from './mesh-option-label.ts';

function choice(id: string, displayName: string, extra: Partial<MeshChoice> = {}): MeshChoice {
  return {
    id,
    displayName,
    compartmentId: 'ocid1.compartment.oc1..shop',
    minimum: 'PERMISSIVE',
    timeCreated: '2026-12-03T16:51:25.485Z',
    ...extra,
  };
}

describe('meshOptionLabel', () => {
  it('names a mesh with a unique name by its name and minimum only', () => {
    const shop = choice('ocid1.servicemesh.oc1..aaa111', 'shop-mesh');
    expect(meshOptionLabel(shop, [shop, choice('ocid1.servicemesh.oc1..b', 'bookinfo')])).toBe(
      'shop-mesh (minimum PERMISSIVE)',
    );
  });

  it('tells meshes with the same name apart by id and creation time, and by compartment when it differs', () => {
    const meshes = [
      choice('ocid1.servicemesh.oc1.local.jjzlnbkgihkjdz2l25bsptitp2axschjxrk3pusm', 'bookinfo'),
      choice('ocid1.servicemesh.oc1.local.6ezazpwudqhtqfnnkgsdx2shrs3qme2g76rwhxms', 'bookinfo', {
        timeCreated: '2026-12-04T09:05:00Z',
      }),
    ];
    const labels = meshes.map((m) => meshOptionLabel(m, meshes));
    expect(labels).toEqual([
      'bookinfo (minimum PERMISSIVE) · id …k3pusm · created 2026-12-03 16:51 UTC',
      'bookinfo (minimum PERMISSIVE) · id …rwhxms · created 2026-12-04 09:05 UTC',
    ]);

    const elsewhere = [
      meshes[0] as MeshChoice,
      choice('ocid1.servicemesh.oc1..zzz999', 'bookinfo', {
        compartmentId: 'ocid1.compartment.oc1..staging',
      }),
    ];
    expect(meshOptionLabel(elsewhere[1] as MeshChoice, elsewhere)).toBe(
      'bookinfo (minimum PERMISSIVE) · compartment …staging · id …zzz999 · created 2026-12-03 16:51 UTC',
    );
  });
});
