import { describe, expect, it } from 'vitest';
import {
  emptyMeshFormValues,
  meshFormPathOf,
  meshFormSchema,
  NEW_AUTHORITY,
  toMeshCreate,
  toMeshUpdate,
} from './mesh-form-schema.ts';

describe('mesh form', () => {
  it('sends the CA it names, or the new one once made, and the chosen minimum', () => {
    const values = {
      ...emptyMeshFormValues('ocid1.compartment.oc1..c'),
      displayName: 'bookinfo',
      minimum: 'PERMISSIVE' as const,
    };
    expect(values.certificateAuthorityId).toBe(NEW_AUTHORITY);
    expect(toMeshCreate(values, 'ocid1.certificateauthority.oc1..new')).toEqual({
      compartmentId: 'ocid1.compartment.oc1..c',
      displayName: 'bookinfo',
      certificateAuthorities: [{ id: 'ocid1.certificateauthority.oc1..new' }],
      mtls: { minimum: 'PERMISSIVE' },
    });
    expect(
      toMeshCreate({ ...values, certificateAuthorityId: 'ocid1.certificateauthority.oc1..ca' })
        .certificateAuthorities,
    ).toEqual([{ id: 'ocid1.certificateauthority.oc1..ca' }]);
  });

  it('updates only what changed and never the compartment, the CA or the minimum', () => {
    const values = {
      compartmentId: 'c2',
      displayName: 'renamed',
      description: '',
      certificateAuthorityId: 'ca2',
      minimum: 'DISABLED' as const,
    };
    expect(
      toMeshUpdate(values, {
        displayName: true,
        compartmentId: true,
        certificateAuthorityId: true,
        minimum: true,
      }),
    ).toEqual({ displayName: 'renamed' });
    expect(toMeshUpdate(values, { description: true })).toEqual({ description: '' });
  });

  it('reports an empty name and a missing compartment together', () => {
    const result = meshFormSchema.safeParse({ ...emptyMeshFormValues(''), displayName: '' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['compartmentId', 'required'],
      ['displayName', 'required'],
    ]);
  });

  it('puts server errors on the fields they concern', () => {
    expect(meshFormPathOf('certificateAuthorities[0].id')).toBe('certificateAuthorityId');
    expect(meshFormPathOf('mtls.minimum')).toBe('minimum');
    expect(meshFormPathOf('displayName')).toBe('displayName');
    expect(meshFormPathOf('freeformTags')).toBeUndefined();
  });
});
