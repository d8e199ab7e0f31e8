import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkModeChange,
  effectiveMode,
  isAtLeast,
  meshMinimumChoices,
  modeLabel,
  modePath,
  modeRank,
  MTLS_MODES,
  MtlsModeSchema,
  virtualServiceModeChoices,
  type MtlsMode,
} from './mtls.ts';

const mode = fc.constantFrom<MtlsMode>(...MTLS_MODES);
const T0 = new Date('2025-03-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('mTLS mode order', () => {
  it('orders DISABLED < PERMISSIVE < STRICT', () => {
    expect(MTLS_MODES.map(modeRank)).toEqual([0, 1, 2]);
    expect(isAtLeast('STRICT', 'PERMISSIVE')).toBe(true);
    expect(isAtLeast('DISABLED', 'PERMISSIVE')).toBe(false);
  });

  it('isAtLeast is reflexive, antisymmetric and transitive', () => {
    fc.assert(
      fc.property(mode, mode, mode, (a, b, c) => {
        expect(isAtLeast(a, a)).toBe(true);
        if (isAtLeast(a, b) && isAtLeast(b, a)) expect(a).toBe(b);
        if (isAtLeast(a, b) && isAtLeast(b, c)) expect(isAtLeast(a, c)).toBe(true);
        expect(isAtLeast(a, b) || isAtLeast(b, a)).toBe(true);
      }),
    );
  });

  it('an effective mode is always at least the mesh minimum when the declared one is', () => {
    fc.assert(
      fc.property(fc.option(mode, { nil: null }), mode, (declared, minimum) => {
        const effective = effectiveMode(declared, minimum);
        if (declared === null || isAtLeast(declared, minimum)) {
          expect(isAtLeast(effective, minimum)).toBe(true);
        }
        expect(effective).toBe(declared ?? minimum);
      }),
    );
  });

  it('every path between two modes moves one step at a time', () => {
    fc.assert(
      fc.property(mode, mode, (from, to) => {
        const path = modePath(from, to);
        expect(path[0]).toBe(from);
        expect(path.at(-1)).toBe(to);
        for (let i = 1; i < path.length; i++) {
          expect(Math.abs(modeRank(path[i]!) - modeRank(path[i - 1]!))).toBe(1);
        }
      }),
    );
  });

  it('refuses an empty string as a mode (case F6)', () => {
    const result = MtlsModeSchema.safeParse('');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'mode must be DISABLED, PERMISSIVE, STRICT or omitted',
    );
  });
});

describe('labels', () => {
  it.each([
    [null, 'PERMISSIVE', 'PERMISSIVE · inherited from mesh'],
    ['STRICT', 'PERMISSIVE', 'STRICT'],
    [null, 'STRICT', 'STRICT · inherited from mesh'],
  ] as const)('declared %s under minimum %s reads "%s"', (declared, minimum, label) => {
    expect(modeLabel(declared, minimum)).toBe(label);
  });
});

describe('checkModeChange (case A10)', () => {
  it.each([
    ['DISABLED', 'STRICT', null, 0, 'one step at a time: DISABLED→PERMISSIVE→STRICT'],
    ['STRICT', 'DISABLED', null, 0, 'one step at a time: STRICT→PERMISSIVE→DISABLED'],
    ['DISABLED', 'PERMISSIVE', null, 0, null],
    [
      'PERMISSIVE',
      'STRICT',
      T0.toISOString(),
      29,
      'the last mTLS change is still propagating: wait 1 s',
    ],
    ['PERMISSIVE', 'STRICT', T0.toISOString(), 30, null],
    ['PERMISSIVE', 'PERMISSIVE', T0.toISOString(), 1, null],
  ] as const)('%s → %s, last change %s, %i s later: %s', (from, to, last, seconds, message) => {
    const verdict = checkModeChange({ from, to, lastChangedAt: last, now: at(seconds) });
    if (message === null) expect(verdict).toEqual({ ok: true });
    else expect(verdict).toMatchObject({ ok: false, message });
  });

  it('asks for the exact remaining wait, rounded up to whole seconds', () => {
    const verdict = checkModeChange({
      from: 'PERMISSIVE',
      to: 'STRICT',
      lastChangedAt: T0.toISOString(),
      now: new Date(T0.getTime() + 12_300),
    });
    expect(verdict).toMatchObject({ ok: false, code: 'TOO_SOON', retryAfterSeconds: 18 });
  });

  it('never allows a two-step jump, whatever the wait', () => {
    fc.assert(
      fc.property(mode, mode, fc.integer({ min: 0, max: 10_000 }), (from, to, seconds) => {
        const verdict = checkModeChange({
          from,
          to,
          lastChangedAt: T0.toISOString(),
          now: at(seconds),
        });
        if (Math.abs(modeRank(from) - modeRank(to)) > 1) expect(verdict.ok).toBe(false);
        if (from !== to && seconds < 30) expect(verdict.ok).toBe(false);
        if (Math.abs(modeRank(from) - modeRank(to)) <= 1 && seconds >= 30)
          expect(verdict.ok).toBe(true);
      }),
    );
  });
});

describe('virtualServiceModeChoices', () => {
  it('offers only inherit and STRICT for a new service in a STRICT mesh (case A4)', () => {
    const choices = virtualServiceModeChoices({ meshMinimum: 'STRICT', now: T0 });
    expect(choices.map((c) => [c.value, c.allowed, c.reason ?? null])).toEqual([
      ['INHERIT', true, null],
      ['DISABLED', false, 'DISABLED is less strict than mesh minimum STRICT'],
      ['PERMISSIVE', false, 'PERMISSIVE is less strict than mesh minimum STRICT'],
      ['STRICT', true, null],
    ]);
    expect(choices[0]?.label).toBe('Inherit from mesh (STRICT)');
  });

  it('greys out non-adjacent and too-soon choices for an existing service', () => {
    const choices = virtualServiceModeChoices({
      meshMinimum: 'DISABLED',
      current: { declared: 'DISABLED', lastChangedAt: T0.toISOString() },
      now: at(10),
    });
    const byValue = Object.fromEntries(choices.map((c) => [c.value, c]));
    expect(byValue.INHERIT?.allowed).toBe(true);
    expect(byValue.DISABLED?.allowed).toBe(true);
    expect(byValue.PERMISSIVE?.reason).toBe('the last mTLS change is still propagating: wait 20 s');
    expect(byValue.STRICT?.reason).toBe('one step at a time: DISABLED→PERMISSIVE→STRICT');
  });

  it('never allows a choice below the mesh minimum', () => {
    fc.assert(
      fc.property(mode, (minimum) => {
        for (const c of virtualServiceModeChoices({ meshMinimum: minimum, now: T0 })) {
          if (c.value !== 'INHERIT' && !isAtLeast(c.value, minimum)) expect(c.allowed).toBe(false);
        }
      }),
    );
  });
});

describe('meshMinimumChoices', () => {
  it('names the declaring services that block a raise, never the inheriting ones (case A6)', () => {
    const choices = meshMinimumChoices({
      current: { minimum: 'PERMISSIVE', lastChangedAt: null },
      declaredServices: [
        { name: 'ledger-r', declared: 'PERMISSIVE' },
        { name: 'orders', declared: null },
      ],
      now: T0,
    });
    const strict = choices.find((c) => c.value === 'STRICT');
    expect(strict?.allowed).toBe(false);
    expect(strict?.reason).toBe(
      'cannot raise the mesh minimum to STRICT: ledger-r declares a less strict mode',
    );
    expect(choices.find((c) => c.value === 'DISABLED')?.allowed).toBe(true);
  });
});

describe('meshMinimumChoices and inheriting services', () => {
  it('greys every change while an inheriting service is still propagating, naming it and the wait', () => {
    const choices = meshMinimumChoices({
      current: { minimum: 'PERMISSIVE', lastChangedAt: null },
      declaredServices: [
        { name: 'orders', declared: null, lastChangedAt: at(0).toISOString() },
        { name: 'cart', declared: null, lastChangedAt: null },
        { name: 'ledger', declared: 'STRICT', lastChangedAt: at(10).toISOString() },
      ],
      now: at(5),
    });
    expect(choices).toEqual([
      {
        value: 'DISABLED',
        label: 'DISABLED',
        allowed: false,
        reason: 'the last mTLS change of inheriting service orders is still propagating: wait 25 s',
      },
      { value: 'PERMISSIVE', label: 'PERMISSIVE', allowed: true },
      {
        value: 'STRICT',
        label: 'STRICT',
        allowed: false,
        reason: 'the last mTLS change of inheriting service orders is still propagating: wait 25 s',
      },
    ]);
    const later = meshMinimumChoices({
      current: { minimum: 'PERMISSIVE', lastChangedAt: null },
      declaredServices: [{ name: 'orders', declared: null, lastChangedAt: at(0).toISOString() }],
      now: at(30),
    });
    expect(later.every((c) => c.allowed)).toBe(true);
  });
});
