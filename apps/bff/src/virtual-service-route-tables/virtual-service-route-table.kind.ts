import {
  checkDuplicateDestinations,
  type Finding,
  VirtualServiceRouteTableCreateSchema,
  VirtualServiceRouteTableUpdateSchema,
  type VirtualServiceRouteRule,
  type VirtualServiceRouteTable,
  type VirtualServiceRouteTableCreate,
  type VirtualServiceRouteTableUpdate,
} from '@meshdeck/domain';
import { RelatedResourceNotFoundError } from '../errors.ts';
import {
  presentFields,
  withoutInternal,
  type KindDefinition,
  type WriteContext,
} from '../resources/resource-kind.ts';
import type { BaseRecord } from '../resources/resource-store.ts';

export type VirtualServiceRouteTableRecord = VirtualServiceRouteTable & BaseRecord;

/**
 * Every destination must be a live deployment of the table's own virtual service; `type` is
 * implied on input and always stored (spec §4). RT001 duplicates are kept as warnings.
 */
function checkRules(
  rules: VirtualServiceRouteRule[],
  virtualServiceId: string,
  ctx: WriteContext,
): { rules: VirtualServiceRouteRule[]; findings: Finding[] } {
  const deployments = new Map(
    ctx.stores.VirtualDeployment.listLive({ parentIds: [virtualServiceId] }).map((d) => [
      d.id,
      d.name,
    ]),
  );
  rules.forEach((rule, r) =>
    rule.destinations.forEach((d, i) => {
      if (!deployments.has(d.virtualDeploymentId)) {
        throw new RelatedResourceNotFoundError(
          `virtual deployment ${d.virtualDeploymentId} not found in virtual service ${virtualServiceId}`,
          `routeRules[${r}].destinations[${i}].virtualDeploymentId`,
        );
      }
    }),
  );
  const normalised = rules.map((rule) => ({
    ...rule,
    destinations: rule.destinations.map((d) => ({ ...d, type: 'VIRTUAL_DEPLOYMENT' as const })),
  }));
  return {
    rules: normalised,
    findings: checkDuplicateDestinations(normalised, (id) => deployments.get(id) ?? id),
  };
}

export const virtualServiceRouteTableKind: KindDefinition<
  VirtualServiceRouteTableRecord,
  VirtualServiceRouteTableCreate,
  VirtualServiceRouteTableUpdate
> = {
  store: {
    kind: 'VirtualServiceRouteTable',
    table: 'virtual_service_route_tables',
    nameField: 'name',
    parent: { kind: 'VirtualService', column: 'virtual_service_id', field: 'virtualServiceId' },
  },
  label: 'virtual service route table',
  plural: 'virtual service route tables',
  ocidType: 'meshvirtualserviceroutetable',
  oci: {
    path: 'virtualServiceRouteTables',
    operationSuffix: 'VIRTUAL_SERVICE_ROUTE_TABLE',
    summaryFields: ['virtualServiceId', 'name', 'description', 'priority'],
  },
  createSchema: VirtualServiceRouteTableCreateSchema,
  updateSchema: VirtualServiceRouteTableUpdateSchema,
  findingCodes: ['RT001'],

  build(input, base, ctx) {
    const { rules, findings } = checkRules(input.routeRules, input.virtualServiceId, ctx);
    return { record: { ...base, ...input, routeRules: rules }, findings };
  },

  patch(record, input, ctx) {
    const next = { ...record, ...presentFields(input) };
    if (input.routeRules === undefined) return { record: next };
    const { rules, findings } = checkRules(input.routeRules, record.virtualServiceId, ctx);
    return { record: { ...next, routeRules: rules }, findings };
  },

  present: (record) => withoutInternal(record),
};
