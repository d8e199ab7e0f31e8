import { z } from 'zod';

/**
 * A number input's value kept as its text, checked with a domain number schema. An emptied box
 * stays empty (never a silent 0) and a typed 0 stays 0. `required` makes empty an error.
 */
export function numberText(
  schema: z.ZodType<number>,
  options: { required?: boolean; requiredMessage?: string } = {},
) {
  return z.string().superRefine((text, ctx) => {
    if (text.trim() === '') {
      if (options.required) {
        ctx.addIssue({ code: 'custom', message: options.requiredMessage ?? 'enter a number' });
      }
      return;
    }
    const value = Number(text);
    const parsed = schema.safeParse(Number.isFinite(value) ? value : NaN);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'not a number' });
    }
  });
}

/** The number a non-empty number text holds; undefined for an empty box. */
export function numberOrUndefined(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/** A number for a form's text input: '' for none, `0` stays "0". */
export function numberToText(value: number | undefined | null): string {
  return value === undefined || value === null ? '' : String(value);
}
