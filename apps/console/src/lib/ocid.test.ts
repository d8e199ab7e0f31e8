import { describe, expect, it } from 'vitest';
import { ocidTail } from './ocid.ts';

describe('ocidTail', () => {
  it('shows the unique part of an OCID, not the shared prefix', () => {
    expect(ocidTail('ocid1.compartment.oc1..meshdeckdemo')).toBe('…meshdeckdemo');
    expect(ocidTail('ocid1.compartment.oc1..x')).toBe('…x');
  });

  it('keeps only the last characters of a long unique part', () => {
    expect(
      ocidTail('ocid1.servicemesh.oc1.local.6ezazpwudqhtqfnnkgsdx2shrs3qme2g76rwhxms', 8),
    ).toBe('…76rwhxms');
  });

  it('copes with text that is not an OCID', () => {
    expect(ocidTail('mesh-1')).toBe('…mesh-1');
  });
});
