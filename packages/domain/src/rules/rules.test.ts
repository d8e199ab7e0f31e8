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

describe('mesh minimum changes and inheriting services (case A10, inherited changes)', () => {
  const orders = (changedAt: number) => ({
    name: 'orders',
    declared: null,
    lastChangedAt: later(changedAt).toISOString(),
  });

  it('refuses a change while an inheriting service is within 30 s of its own change, naming it', () => {
    expect(
      checkMeshMinimumChange({
        before: 'PERMISSIVE',
        after: 'DISABLED',
        lastChangedAt: null,
        declaredServices: [orders(0), { name: 'ledger', declared: 'STRICT', lastChangedAt: null }],
        now: later(29),
      }),
    ).toEqual([
      {
        code: 'MTLS002',
        severity: 'error',
        message: 'the last mTLS change of inheriting service orders is still propagating: wait 1 s',
        path: 'mtls.minimum',
        retryAfterSeconds: 1,
      },
    ]);
    expect(
      checkMeshMinimumChange({
        before: 'PERMISSIVE',
        after: 'DISABLED',
        lastChangedAt: null,
        declaredServices: [orders(0)],
        now: later(30),
      }),
    ).toEqual([]);
  });

  it('ignores the timers of declaring services, whose effective mode the mesh does not move', () => {
    expect(
      checkMeshMinimumChange({
        before: 'PERMISSIVE',
        after: 'DISABLED',
        lastChangedAt: null,
        declaredServices: [
          { name: 'ledger', declared: 'STRICT', lastChangedAt: later(0).toISOString() },
        ],
        now: later(1),
      }),
    ).toEqual([]);
  });

  it('names blocking services before any wait, since waiting would not help', () => {
    expect(
      checkMeshMinimumChange({
        before: 'PERMISSIVE',
        after: 'STRICT',
        lastChangedAt: null,
        declaredServices: [orders(0), { name: 'ledger-r', declared: 'PERMISSIVE' }],
        now: later(1),
      }).map((f) => f.code),
    ).toEqual(['MESH001']);
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
