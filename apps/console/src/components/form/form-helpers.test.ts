import { PrioritySchema, WeightSchema } from '@meshdeck/domain';
import { describe, expect, it } from 'vitest';
import { numberOrUndefined, numberText, numberToText } from './number-text.ts';
import { isDirty, toFormPath } from './server-errors.ts';

describe('numberText', () => {
  it('keeps an emptied box empty, keeps a zero, and checks with the domain schema', () => {
    const optional = numberText(PrioritySchema);
    expect(optional.safeParse('').success).toBe(true);
    expect(numberOrUndefined('')).toBeUndefined();
    expect(numberOrUndefined('0')).toBe(0);
    expect(numberToText(0)).toBe('0');
    expect(numberToText(undefined)).toBe('');
    expect(optional.safeParse('1001').error?.issues[0]?.message).toBe(
      'priority must be between 0 and 1000',
    );
    const weight = numberText(WeightSchema, { required: true, requiredMessage: 'enter a weight' });
    expect(weight.safeParse('0').success).toBe(true);
    expect(weight.safeParse('').error?.issues[0]?.message).toBe('enter a weight');
    expect(weight.safeParse('1.5').error?.issues[0]?.message).toBe('weight must be a whole number');
    expect(weight.safeParse('abc').success).toBe(false);
  });
});

describe('server field paths', () => {
  it('turns the BFF path of a nested field into the form path', () => {
    expect(toFormPath('routeRules[0].destinations[1].weight')).toBe(
      'routeRules.0.destinations.1.weight',
    );
    expect(toFormPath('displayName')).toBe('displayName');
  });

  it('finds a dirty entry deep in rows', () => {
    expect(isDirty([undefined, { weight: true }])).toBe(true);
    expect(isDirty([{ weight: false }])).toBe(false);
    expect(isDirty(undefined)).toBe(false);
  });
});
