import {
  IngressGatewayRouteTableCreateSchema,
  IngressGatewayRouteTableUpdateSchema,
  type IngressGatewayRouteRule,
  type IngressGatewayRouteTable,
  type IngressGatewayRouteTableCreate,
  type IngressGatewayRouteTableUpdate,
} from '@meshdeck/domain';
import { RelatedResourceNotFoundError, ValidationError } from '../errors.ts';
import type { IngressGatewayRecord } from '../ingress-gateways/ingress-gateway.kind.ts';
import {
  presentFields,
  withoutInternal,
  type KindDefinition,
  type WriteContext,
} from '../resources/resource-kind.ts';
import type { BaseRecord } from '../resources/resource-store.ts';

export type IngressGatewayRouteTableRecord = IngressGatewayRouteTable & BaseRecord;

/**
 * Destinations must be live virtual services of the gateway's mesh, and a rule's
 * `ingressGatewayHost` must name one of the gateway's hosts (route tables attach by it).
 */
function checkRules(
  rules: IngressGatewayRouteRule[],
  gateway: IngressGatewayRecord,
  ctx: WriteContext,
): IngressGatewayRouteRule[] {
  const services = new Set(
    ctx.stores.VirtualService.listLive({ parentIds: [gateway.meshId] }).map((v) => v.id),
  );
  const hostNames = new Set(gateway.hosts.map((h) => h.name));
  rules.forEach((rule, r) => {
    if (rule.ingressGatewayHost && !hostNames.has(rule.ingressGatewayHost.name)) {
      const path = `routeRules[${r}].ingressGatewayHost.name`;
      throw new ValidationError({
        [path]: [`ingress gateway ${gateway.name} has no host ${rule.ingressGatewayHost.name}`],
      });
    }
    rule.destinations.forEach((d, i) => {
      if (!services.has(d.virtualServiceId)) {
        throw new RelatedResourceNotFoundError(
          `virtual service ${d.virtualServiceId} not found in the mesh of ingress gateway ${gateway.name}`,
          `routeRules[${r}].destinations[${i}].virtualServiceId`,
        );
      }
    });
  });
  return rules.map((rule) => ({
    ...rule,
    destinations: rule.destinations.map((d) => ({ ...d, type: 'VIRTUAL_SERVICE' as const })),
  }));
}

export const ingressGatewayRouteTableKind: KindDefinition<
  IngressGatewayRouteTableRecord,
  IngressGatewayRouteTableCreate,
  IngressGatewayRouteTableUpdate
> = {
  store: {
    kind: 'IngressGatewayRouteTable',
    table: 'ingress_gateway_route_tables',
    nameField: 'name',
    parent: { kind: 'IngressGateway', column: 'ingress_gateway_id', field: 'ingressGatewayId' },
  },
  label: 'ingress gateway route table',
  plural: 'ingress gateway route tables',
  ocidType: 'meshingressgatewayroutetable',
  oci: {
    path: 'ingressGatewayRouteTables',
    operationSuffix: 'INGRESS_GATEWAY_ROUTE_TABLE',
    summaryFields: ['ingressGatewayId', 'name', 'description', 'priority'],
  },
  createSchema: IngressGatewayRouteTableCreateSchema,
  updateSchema: IngressGatewayRouteTableUpdateSchema,

  build(input, base, ctx, parent) {
    const routeRules = checkRules(input.routeRules, parent as IngressGatewayRecord, ctx);
    return { record: { ...base, ...input, routeRules } };
  },

  patch(record, input, ctx) {
    const next = { ...record, ...presentFields(input) };
    if (input.routeRules === undefined) return { record: next };
    const gateway = ctx.stores.IngressGateway.get(record.ingressGatewayId) as IngressGatewayRecord;
    return { record: { ...next, routeRules: checkRules(input.routeRules, gateway, ctx) } };
  },

  present: (record) => withoutInternal(record),
};
