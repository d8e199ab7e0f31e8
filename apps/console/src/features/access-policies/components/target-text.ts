import type { AccessPolicyTarget } from '@meshdeck/domain';

/** A policy target in words, with ids replaced by names where known. */
export function targetText(t: AccessPolicyTarget, names: Map<string, string>): string {
  switch (t.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return 'all virtual services';
    case 'VIRTUAL_SERVICE':
      return `virtual service ${names.get(t.virtualServiceId) ?? t.virtualServiceId}`;
    case 'INGRESS_GATEWAY':
      return `ingress gateway ${names.get(t.ingressGatewayId) ?? t.ingressGatewayId}`;
    case 'EXTERNAL_SERVICE': {
      const where = [...(t.hostnames ?? []), ...(t.ipAddresses ?? [])].join(', ') || 'anything';
      const ports = t.ports && t.ports.length > 0 ? ` port ${t.ports.join(', ')}` : '';
      return `external ${t.protocol ? `${t.protocol} ` : ''}${where}${ports}`;
    }
  }
}
