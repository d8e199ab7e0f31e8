import { describe, expect, it } from 'vitest';
import {
  accessPolicyFormSchema,
  emptyTarget,
  formPathOf,
  parseServerPath,
  toAccessPolicyCreate,
  toAccessPolicyFormValues,
  toAccessPolicyUpdate,
  type AccessPolicyFormValues,
} from './access-policy-form-schema.ts';

const VS = 'ocid1.meshvirtualservice.oc1..reviews';
const GW = 'ocid1.meshingressgateway.oc1..gw';

function values(patch: Partial<AccessPolicyFormValues> = {}): AccessPolicyFormValues {
  return {
    name: 'egress',
    description: '',
    rules: [
      {
        source: { ...emptyTarget('INGRESS_GATEWAY'), ingressGatewayId: GW },
        destination: { ...emptyTarget('VIRTUAL_SERVICE'), virtualServiceId: VS },
      },
      {
        source: emptyTarget('ALL_VIRTUAL_SERVICES'),
        destination: {
          ...emptyTarget('EXTERNAL_SERVICE'),
          protocol: 'TCP',
          ipAddresses: '10.0.0.0/16, 10.1.0.1',
          ports: '5432, 0',
        },
      },
    ],
    ...patch,
  };
}

describe('access policy form', () => {
  it('builds the create body with every target type and keeps a typed 0 port as 0', () => {
    const body = toAccessPolicyCreate(values(), {
      meshId: 'ocid1.servicemesh.oc1..m',
      compartmentId: 'ocid1.compartment.oc1..c',
    });
    expect(body.rules).toEqual([
      {
        action: 'ALLOW',
        source: { type: 'INGRESS_GATEWAY', ingressGatewayId: GW },
        destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: VS },
      },
      {
        action: 'ALLOW',
        source: { type: 'ALL_VIRTUAL_SERVICES' },
        destination: {
          type: 'EXTERNAL_SERVICE',
          protocol: 'TCP',
          ipAddresses: ['10.0.0.0/16', '10.1.0.1'],
          ports: [5432, 0],
        },
      },
    ]);
    expect(body).not.toHaveProperty('description');
  });

  it('shows every domain error at once, each on its own field', () => {
    const bad = values({ name: '' });
    const external = bad.rules[1]?.destination;
    if (external) external.ports = '443, http';
    bad.rules.push({
      source: emptyTarget('ALL_VIRTUAL_SERVICES'),
      destination: { ...emptyTarget('EXTERNAL_SERVICE'), protocol: 'HTTPS' },
    });
    const rule0 = bad.rules[0];
    if (rule0) rule0.destination.virtualServiceId = '';
    const result = accessPolicyFormSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const byPath = Object.fromEntries(
      (result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]),
    );
    expect(byPath).toMatchObject({
      name: 'required',
      'rules.2.destination.hostnames':
        'an external service needs hostnames (HTTP, HTTPS) or ipAddresses (TCP)',
      'rules.1.destination.ports': 'must be a whole number',
    });
    expect(Object.keys(byPath)).toContain('rules.0.destination.virtualServiceId');
  });

  it('an edit sends only what changed, and emptying the rules sends an empty list', () => {
    const opened = toAccessPolicyFormValues({
      id: 'ocid1.meshaccesspolicy.oc1..p',
      compartmentId: 'ocid1.compartment.oc1..c',
      meshId: 'ocid1.servicemesh.oc1..m',
      name: 'egress',
      lifecycleState: 'ACTIVE',
      timeCreated: '2025-01-01T00:00:00.000Z',
      rules: [
        {
          action: 'ALLOW',
          source: { type: 'ALL_VIRTUAL_SERVICES' },
          destination: { type: 'EXTERNAL_SERVICE', hostnames: ['*.example.com'], ports: [443] },
        },
      ],
    } as Parameters<typeof toAccessPolicyFormValues>[0]);
    expect(toAccessPolicyUpdate(opened, opened)).toEqual({});
    expect(toAccessPolicyUpdate({ ...opened, description: 'x' }, opened)).toEqual({
      description: 'x',
    });
    expect(toAccessPolicyUpdate({ ...opened, rules: [] }, opened)).toEqual({ rules: [] });
  });

  it('puts a server field error on the field that shows it', () => {
    expect(formPathOf(parseServerPath('rules[2].source.ipAddresses[0]'))).toBe(
      'rules.2.source.ipAddresses',
    );
    expect(formPathOf(parseServerPath('rules[0].destination'))).toBe('rules.0.destination.type');
    expect(formPathOf(parseServerPath('name'))).toBe('name');
    expect(formPathOf(parseServerPath('meshId'))).toBeUndefined();
  });
});
