import { z } from 'zod';

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/**
 * Plain wording for the generic messages zod would otherwise send to users ("Invalid input:
 * expected object, received array"). Messages written on a schema still win; this only replaces
 * the library's defaults, in the console and the BFF alike.
 */
export function plainMessage(issue: {
  code?: string;
  input?: unknown;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  keys?: unknown;
}): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `must be ${article(String(issue.expected))}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return issue.minimum === 1
          ? 'must not be empty'
          : `must be at least ${String(issue.minimum)} characters`;
      }
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} item(s)`;
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `must have at most ${String(issue.maximum)} item(s)`;
      return `must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys': {
      const keys = Array.isArray(issue.keys) ? issue.keys.map(String) : [];
      return `unknown field${keys.length === 1 ? '' : 's'} ${keys.join(', ')}`;
    }
    case 'invalid_value':
      return 'is not one of the allowed values';
    case 'invalid_union':
      return 'does not match any allowed shape';
    case 'invalid_format':
      return 'has an invalid format';
    default:
      return undefined;
  }
}

z.config({ customError: (issue) => plainMessage(issue) });
