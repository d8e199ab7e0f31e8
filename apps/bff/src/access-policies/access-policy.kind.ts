import {
  AccessPolicyCreateSchema,
  AccessPolicyUpdateSchema,
  type AccessPolicy,
  type AccessPolicyCreate,
  type AccessPolicyRule,
  type AccessPolicyUpdate,
} from '@meshdeck/domain';
import { RelatedResourceNotFoundError } from '../errors.ts';
import {
  presentFields,
  withoutInternal,
  type KindDefinition,
  type WriteContext,
} from '../resources/resource-kind.ts';
import type { BaseRecord } from '../resources/resource-store.ts';

export type AccessPolicyRecord = AccessPolicy & BaseRecord & { meshId: string };

/** Virtual services and ingress gateways named by rules must be live members of the mesh. */
function checkTargets(rules: AccessPolicyRule[], meshId: string, ctx: WriteContext): void {
  const services = new Set(
    ctx.stores.VirtualService.listLive({ parentIds: [meshId] }).map((v) => v.id),
  );
  const gateways = new Set(
    ctx.stores.IngressGateway.listLive({ parentIds: [meshId] }).map((g) => g.id),
  );
  rules.forEach((rule, r) => {
    for (const side of ['source', 'destination'] as const) {
      const target = rule[side];
      if (target.type === 'VIRTUAL_SERVICE' && !services.has(target.virtualServiceId)) {
        throw new RelatedResourceNotFoundError(
          `virtual service ${target.virtualServiceId} not found in mesh ${meshId}`,
          `rules[${r}].${side}.virtualServiceId`,
        );
      }
      if (target.type === 'INGRESS_GATEWAY' && !gateways.has(target.ingressGatewayId)) {
        throw new RelatedResourceNotFoundError(
          `ingress gateway ${target.ingressGatewayId} not found in mesh ${meshId}`,
          `rules[${r}].${side}.ingressGatewayId`,
        );
      }
    }
  });
}

export const accessPolicyKind: KindDefinition<
  AccessPolicyRecord,
  AccessPolicyCreate,
  AccessPolicyUpdate
> = {
  store: {
    kind: 'AccessPolicy',
    table: 'access_policies',
    nameField: 'name',
    parent: { kind: 'Mesh', column: 'mesh_id', field: 'meshId' },
  },
  label: 'access policy',
  plural: 'access policies',
  ocidType: 'meshaccesspolicy',
  oci: {
    path: 'accessPolicies',
    operationSuffix: 'ACCESS_POLICY',
    summaryFields: ['meshId', 'name', 'description'],
  },
  createSchema: AccessPolicyCreateSchema,
  updateSchema: AccessPolicyUpdateSchema,

  build(input, base, ctx) {
    checkTargets(input.rules, input.meshId, ctx);
    return { record: { ...base, ...input } };
  },

  patch(record, input, ctx) {
    if (input.rules !== undefined) checkTargets(input.rules, record.meshId, ctx);
    return { record: { ...record, ...presentFields(input) } };
  },

  present: (record) => withoutInternal(record),
};
