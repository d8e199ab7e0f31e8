import type { AccessPolicyTarget } from '@meshdeck/domain';
import type { MeshDetail } from '@meshdeck/domain';

/** Display names by id for the mesh's services, deployments and gateways. */
export function namesById(detail: MeshDetail): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of [
    ...detail.virtualServices,
    ...detail.virtualDeployments,
    ...detail.ingressGateways,
  ]) {
    names.set(r.id, r.name);
  }
  return names;
}

export function describeTarget(target: AccessPolicyTarget, names: Map<string, string>): string {
  switch (target.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return 'all virtual services';
    case 'VIRTUAL_SERVICE':
      return names.get(target.virtualServiceId) ?? target.virtualServiceId;
    case 'INGRESS_GATEWAY':
      return `gateway ${names.get(target.ingressGatewayId) ?? target.ingressGatewayId}`;
    case 'EXTERNAL_SERVICE': {
      const where =
        [...(target.hostnames ?? []), ...(target.ipAddresses ?? [])].join(', ') || 'any';
      const ports = target.ports?.length ? `:${target.ports.join(',')}` : '';
      return `external ${where}${ports}${target.protocol ? ` (${target.protocol})` : ''}`;
    }
  }
}
