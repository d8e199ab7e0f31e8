import { DNS_HOSTNAME_MESSAGE } from '@meshdeck/domain';
import { describe, expect, it } from 'vitest';
import {
  emptyVirtualDeploymentFormValues,
  virtualDeploymentFormSchema,
} from './virtual-deployment-form-schema.ts';

const hostnameErrors = (hostname: string, discoveryType: 'DNS' | 'DISABLED' = 'DNS') => {
  const result = virtualDeploymentFormSchema.safeParse({
    ...emptyVirtualDeploymentFormValues('ocid1.servicemeshvirtualservice.oc1..vs'),
    name: 'reviews-v1',
    discoveryType,
    hostname,
  });
  return result.success
    ? []
    : result.error.issues.filter((i) => i.path.join('.') === 'hostname').map((i) => i.message);
};

describe('virtual deployment form hostname (new-user report)', () => {
  it('accepts a DNS hostname, with surrounding spaces trimmed', () => {
    expect(hostnameErrors('reviews-v1.shop.svc.cluster.local')).toEqual([]);
    expect(hostnameErrors(' reviews ')).toEqual([]);
  });

  it.each(["'; DROP TABLE x;--", '🚀', '\u202e', 'a..b', '-reviews'])(
    'refuses %j with the domain message',
    (hostname) => {
      expect(hostnameErrors(hostname)).toEqual([DNS_HOSTNAME_MESSAGE]);
    },
  );

  it('says a hostname is needed when empty, and ignores it when discovery is disabled', () => {
    expect(hostnameErrors('')).toEqual(['DNS discovery needs a hostname']);
    expect(hostnameErrors('🚀', 'DISABLED')).toEqual([]);
  });
});
