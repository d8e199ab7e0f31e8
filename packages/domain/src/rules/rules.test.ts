import { describe, expect, it } from 'vitest';
import { checkMeshMinimumChange } from '../mesh/mesh.rules.ts';
import { checkDuplicateDestinations } from '../route-table/route-table.rules.ts';
import {
  checkDeclaredMode,
  checkVirtualServiceModeChange,
} from '../virtual-service/virtual-service.rules.ts';

const T0 = new Date('2025-03-01T00:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

describe('VS001 declared mode vs mesh minimum', () => {
  it.each([
    ['STRICT', 'PERMISSIVE', null],
    ['PERMISSIVE', 'PERMISSIVE', null],
    ['DISABLED', 'PERMISSIVE', 'DISABLED is less strict than mesh minimum PERMISSIVE'],
    ['PERMISSIVE', 'STRICT', 'PERMISSIVE is less strict than mesh minimum STRICT'],
    [null, 'STRICT', null],
  ] as const)('declared %s under minimum %s → %s (cases A2, A4)', (declared, minimum, message) => {
    const findings = checkDeclaredMode(declared, minimum);
    if (message === null) expect(findings).toEqual([]);
    else
      expect(findings).toEqual([{ code: 'VS001', severity: 'error', message, path: 'mtls.mode' }]);
  });
});

describe('mode changes of a service', () => {
  it('counts a change to inherit as a change of the effective mode', () => {
    const findings = checkVirtualServiceModeChange({
      before: 'STRICT',
      after: null,
      meshMinimum: 'DISABLED',
      lastChangedAt: null,
      now: T0,
    });
    expect(findings[0]?.code).toBe('MTLS001');
  });

  it('is silent when the effective mode stays the same', () => {
    expect(
      checkVirtualServiceModeChange({
        before: null,
        after: 'PERMISSIVE',
        meshMinimum: 'PERMISSIVE',
        lastChangedAt: T0.toISOString(),
        now: later(1),
      }),
    ).toEqual([]);
  });
});

describe('mesh minimum changes (cases A6, A10)', () => {
  const services = [
    { name: 'ledger-r', declared: 'PERMISSIVE' as const },
    { name: 'orders', declared: null },
  ];

  it('is blocked by declaring services only', () => {
    const findings = checkMeshMinimumChange({
      before: 'PERMISSIVE',
      after: 'STRICT',
      lastChangedAt: null,
      declaredServices: services,
      now: T0,
    });
    expect(findings).toEqual([
      {
        code: 'MESH001',
        severity: 'error',
        message: 'cannot raise the mesh minimum to STRICT: ledger-r declares a less strict mode',
        path: 'mtls.minimum',
      },
    ]);
  });

  it('succeeds once the blocking service is raised', () => {
    expect(
      checkMeshMinimumChange({
        before: 'PERMISSIVE',
        after: 'STRICT',
        lastChangedAt: null,
        declaredServices: [{ name: 'ledger-r', declared: 'STRICT' }, services[1]!],
        now: T0,
      }),
    ).toEqual([]);
  });

  it('refuses DISABLED → STRICT, and a second step before 30 s', () => {
    expect(
      checkMeshMinimumChange({
        before: 'DISABLED',
        after: 'STRICT',
        lastChangedAt: null,
        declaredServices: [],
        now: T0,
      })[0]?.message,
    ).toBe('one step at a time: DISABLED→PERMISSIVE→STRICT');
    const tooSoon = checkMeshMinimumChange({
      before: 'PERMISSIVE',
      after: 'STRICT',
      lastChangedAt: T0.toISOString(),
      declaredServices: [],
      now: later(29),
    });
    expect(tooSoon[0]).toMatchObject({ code: 'MTLS002', retryAfterSeconds: 1 });
    expect(
      checkMeshMinimumChange({
        before: 'PERMISSIVE',
        after: 'STRICT',
        lastChangedAt: T0.toISOString(),
        declaredServices: [],
        now: later(30),
      }),
    ).toEqual([]);
  });
});

describe('RT001 duplicate destinations', () => {
  it('flags the Bookinfo reviews table that lists reviews-v2 twice', () => {
    const findings = checkDuplicateDestinations(
      [
        {
          type: 'HTTP',
          destinations: [
            { virtualDeploymentId: 'v1', weight: 50 },
            { virtualDeploymentId: 'v2', weight: 25 },
            { virtualDeploymentId: 'v2', weight: 25 },
          ],
        },
      ],
      (id) => `reviews-${id}`,
    );
    expect(findings).toEqual([
      {
        code: 'RT001',
        severity: 'warning',
        message: 'reviews-v2 appears more than once in rule 1; its weights add up',
        path: 'routeRules[0].destinations[2]',
      },
    ]);
  });
});
