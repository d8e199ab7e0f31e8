import { describe, expect, it } from 'vitest';
import {
  emptyRouteTableFormValues,
  routeTableFormSchema,
  routeTableWarnings,
  toRouteTableCreate,
  toRouteTableUpdate,
  type RouteTableFormValues,
} from './route-table-form-schema.ts';

const base = (weights: string[], path = '/'): RouteTableFormValues => ({
  ...emptyRouteTableFormValues('ocid1.meshvirtualservice.oc1..payments'),
  name: 'payments-rt',
  routeRules: [
    {
      type: 'HTTP',
      path,
      destinations: weights.map((weight, i) => ({
        virtualDeploymentId: `ocid1.meshvirtualdeployment.oc1..v${i}`,
        weight,
        port: '',
      })),
    },
  ],
});

function messages(values: RouteTableFormValues): Record<string, string[]> {
  const result = routeTableFormSchema.safeParse(values);
  const out: Record<string, string[]> = {};
  for (const issue of result.error?.issues ?? []) {
    (out[issue.path.join('.')] ??= []).push(issue.message);
  }
  return out;
}

describe('route table form (cases C2, C4, C5, F2)', () => {
  it('C4: rejects all-zero weights with the total message, accepts 0 + 100, rejects −5', () => {
    expect(messages(base(['0', '0']))).toEqual({
      'routeRules.0.destinations': ['total weight must be at least 1'],
    });
    expect(messages(base(['0', '100']))).toEqual({});
    expect(messages(base(['-5', '105']))).toMatchObject({
      'routeRules.0.destinations.0.weight': ['weight must be ≥ 0'],
    });
    const body = toRouteTableCreate(base(['0', '100']), 'ocid1.compartment.oc1..c');
    expect(body.routeRules[0]?.destinations.map((d) => d.weight)).toEqual([0, 100]);
  });

  it('C5: a path without a leading slash gets the BFF message; /orders is fine', () => {
    expect(messages(base(['1'], 'orders'))).toEqual({
      'routeRules.0.path': ['path must start with /'],
    });
    expect(messages(base(['1'], '/orders'))).toEqual({});
  });

  it('F2: shows the name, path and weight errors at once', () => {
    const values = { ...base(['', '0'], 'orders'), name: '' };
    const found = messages(values);
    expect(Object.keys(found).sort()).toEqual([
      'name',
      'routeRules.0.destinations.0.weight',
      'routeRules.0.path',
    ]);
    expect(found['routeRules.0.destinations.0.weight']).toEqual(['enter a weight']);
  });

  it('C2: sends priority on create and on update, and a zero priority stays zero', () => {
    const values = { ...base(['1']), priority: '1' };
    expect(toRouteTableCreate(values, 'c').priority).toBe(1);
    expect(toRouteTableCreate({ ...values, priority: '' }, 'c')).not.toHaveProperty('priority');
    expect(toRouteTableUpdate({ ...values, priority: '0' }, { priority: true })).toEqual({
      priority: 0,
    });
    expect(toRouteTableUpdate(values, {})).toEqual({});
  });

  it('warns (RT001) before sending when a rule names one deployment twice', () => {
    const values = base(['50', '50']);
    const twice = {
      ...values,
      routeRules: [
        {
          ...values.routeRules[0]!,
          destinations: values.routeRules[0]!.destinations.map((d) => ({
            ...d,
            virtualDeploymentId: 'vd-1',
          })),
        },
      ],
    };
    expect(routeTableWarnings(twice, () => 'reviews-v2')).toEqual([
      {
        code: 'RT001',
        severity: 'warning',
        message: 'reviews-v2 appears more than once in rule 1; its weights add up',
        path: 'routeRules[0].destinations[1]',
      },
    ]);
  });
});
