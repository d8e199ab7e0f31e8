import { describe, expect, it } from 'vitest';
import {
  emptyVirtualServiceFormValues,
  formFieldForServerPath,
  toVirtualServiceCreate,
  toVirtualServiceUpdate,
  virtualServiceFormSchema,
  type ModeContext,
} from './virtual-service-form-schema.ts';

const ctx: ModeContext = {
  meshes: [
    { id: 'payments-mesh', minimum: 'STRICT' },
    { id: 'sandbox-mesh', minimum: 'DISABLED' },
  ],
  now: new Date('2025-03-01T00:00:00Z'),
};

function issues(values: Record<string, unknown>, context = ctx) {
  const result = virtualServiceFormSchema(context).safeParse({
    ...emptyVirtualServiceFormValues('payments-mesh'),
    ...values,
  });
  return result.success ? [] : result.error.issues.map((i) => [i.path.join('.'), i.message]);
}

describe('virtualServiceFormSchema', () => {
  it('reports an empty name and a mode below the mesh minimum together', () => {
    expect(issues({ name: '', mode: 'PERMISSIVE' })).toEqual([
      ['name', 'required'],
      ['mode', 'PERMISSIVE is less strict than mesh minimum STRICT'],
    ]);
  });

  it('accepts a mode stricter than the minimum and inheriting in any mesh', () => {
    expect(issues({ name: 'a', meshId: 'sandbox-mesh', mode: 'STRICT' })).toEqual([]);
    expect(issues({ name: 'a', mode: 'INHERIT' })).toEqual([]);
  });

  it('on edit, refuses a jump of two modes and a change inside the propagation delay', () => {
    const editing = (lastChangedAt: string | null): ModeContext => ({
      ...ctx,
      meshes: [{ id: 'sandbox-mesh', minimum: 'DISABLED' }],
      current: { declared: 'DISABLED', lastChangedAt },
    });
    expect(issues({ name: 'a', meshId: 'sandbox-mesh', mode: 'STRICT' }, editing(null))).toEqual([
      ['mode', 'one step at a time: DISABLED→PERMISSIVE→STRICT'],
    ]);
    expect(
      issues(
        { name: 'a', meshId: 'sandbox-mesh', mode: 'PERMISSIVE' },
        editing('2025-02-28T23:59:40Z'),
      ),
    ).toEqual([['mode', 'the last mTLS change is still propagating: wait 10 s']]);
  });

  it('checks maximum validity only when it is filled in', () => {
    expect(issues({ name: 'a', maximumValidity: '' })).toEqual([]);
    expect(issues({ name: 'a', maximumValidity: '91' })).toEqual([
      ['maximumValidity', 'maximumValidity must be between 45 and 90 days'],
    ]);
  });
});

describe('virtual-service payloads', () => {
  it('omits mode for inherit and maximum validity when empty', () => {
    const body = toVirtualServiceCreate(
      { ...emptyVirtualServiceFormValues('retail-mesh'), name: 'orders2' },
      { compartmentId: 'c1' },
    );
    expect(body).toEqual({
      compartmentId: 'c1',
      meshId: 'retail-mesh',
      name: 'orders2',
      hosts: [],
      defaultRoutingPolicy: { type: 'UNIFORM' },
    });
  });

  it('sends only the fields the user changed, and mtls only when an mTLS field changed', () => {
    const initial = {
      ...emptyVirtualServiceFormValues('m'),
      name: 'ledger',
      hosts: [{ value: 'ledger.payments.svc' }],
      mode: 'STRICT' as const,
      maximumValidity: '60',
    };
    expect(
      toVirtualServiceUpdate({ ...initial, description: 'v2' }, { description: true }),
    ).toEqual({ description: 'v2' });
    expect(toVirtualServiceUpdate(initial, {})).toEqual({});
    expect(
      toVirtualServiceUpdate(
        { ...initial, hosts: [...initial.hosts, { value: 'ledger' }] },
        { hosts: [undefined, { value: true }] },
      ),
    ).toEqual({ hosts: ['ledger.payments.svc', 'ledger'] });
    expect(
      toVirtualServiceUpdate(
        { ...initial, defaultRoutingPolicy: 'DENY' },
        {
          defaultRoutingPolicy: true,
        },
      ),
    ).toEqual({ defaultRoutingPolicy: { type: 'DENY' } });
  });

  it('sends mtls null to go back to inherit, the chosen mode otherwise, and never drops a declared mode', () => {
    const initial = {
      ...emptyVirtualServiceFormValues('m'),
      name: 'ledger',
      mode: 'STRICT' as const,
      maximumValidity: '60',
    };
    expect(toVirtualServiceUpdate({ ...initial, mode: 'INHERIT' }, { mode: true })).toEqual({
      mtls: null,
    });
    expect(toVirtualServiceUpdate({ ...initial, mode: 'PERMISSIVE' }, { mode: true })).toEqual({
      mtls: { mode: 'PERMISSIVE' },
    });
    // Only the validity changed: the declared STRICT goes along, or the service would inherit.
    expect(
      toVirtualServiceUpdate({ ...initial, maximumValidity: '90' }, { maximumValidity: true }),
    ).toEqual({ mtls: { mode: 'STRICT', maximumValidity: 90 } });
    expect(
      toVirtualServiceUpdate(
        { ...initial, mode: 'INHERIT', maximumValidity: '' },
        { mode: true, maximumValidity: true },
      ),
    ).toEqual({ mtls: { maximumValidity: 45 } });
  });

  it('maps server field paths onto form fields', () => {
    expect(formFieldForServerPath('mtls.mode')).toBe('mode');
    expect(formFieldForServerPath('hosts[2]')).toBe('hosts.2.value');
    expect(formFieldForServerPath('compartmentId')).toBe('meshId');
    expect(formFieldForServerPath('freeformTags')).toBeUndefined();
  });
});
