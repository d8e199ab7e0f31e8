import {
  VirtualDeploymentCreateSchema,
  VirtualDeploymentUpdateSchema,
  type VirtualDeployment,
  type VirtualDeploymentCreate,
  type VirtualDeploymentUpdate,
} from '@meshdeck/domain';
import {
  describeNames,
  presentFields,
  withoutInternal,
  type KindDefinition,
} from '../resources/resource-kind.ts';
import type { BaseRecord } from '../resources/resource-store.ts';

export type VirtualDeploymentRecord = VirtualDeployment & BaseRecord;

export const virtualDeploymentKind: KindDefinition<
  VirtualDeploymentRecord,
  VirtualDeploymentCreate,
  VirtualDeploymentUpdate
> = {
  store: {
    kind: 'VirtualDeployment',
    table: 'virtual_deployments',
    nameField: 'name',
    parent: { kind: 'VirtualService', column: 'virtual_service_id', field: 'virtualServiceId' },
  },
  label: 'virtual deployment',
  plural: 'virtual deployments',
  ocidType: 'meshvirtualdeployment',
  oci: {
    path: 'virtualDeployments',
    operationSuffix: 'VIRTUAL_DEPLOYMENT',
    summaryFields: ['virtualServiceId', 'name', 'description'],
  },
  createSchema: VirtualDeploymentCreateSchema,
  updateSchema: VirtualDeploymentUpdateSchema,

  build(input, base) {
    return { record: { ...base, ...input } };
  },

  patch(record, input) {
    return { record: { ...record, ...presentFields(input) } };
  },

  referencedBy(record, ctx) {
    const tables = ctx.stores.VirtualServiceRouteTable.listLive({
      parentIds: [record.virtualServiceId],
    })
      .filter((t) =>
        t.routeRules.some((r) => r.destinations.some((d) => d.virtualDeploymentId === record.id)),
      )
      .map((t) => t.name);
    return describeNames('virtual service route table', 'virtual service route tables', tables);
  },

  present: (record) => withoutInternal(record),
};
