import {
  DEFAULT_MAXIMUM_VALIDITY_DAYS,
  IngressGatewayCreateSchema,
  IngressGatewayUpdateSchema,
  type IngressGateway,
  type IngressGatewayCreate,
  type IngressGatewayUpdate,
} from '@meshdeck/domain';
import { newOcid } from '../ids.ts';
import {
  describeNames,
  presentFields,
  withoutInternal,
  type KindDefinition,
} from '../resources/resource-kind.ts';
import type { BaseRecord } from '../resources/resource-store.ts';

export type IngressGatewayRecord = IngressGateway & BaseRecord;

export const ingressGatewayKind: KindDefinition<
  IngressGatewayRecord,
  IngressGatewayCreate,
  IngressGatewayUpdate
> = {
  store: {
    kind: 'IngressGateway',
    table: 'ingress_gateways',
    nameField: 'name',
    parent: { kind: 'Mesh', column: 'mesh_id', field: 'meshId' },
  },
  label: 'ingress gateway',
  plural: 'ingress gateways',
  ocidType: 'meshingressgateway',
  oci: {
    path: 'ingressGateways',
    operationSuffix: 'INGRESS_GATEWAY',
    summaryFields: ['meshId', 'name', 'description'],
  },
  createSchema: IngressGatewayCreateSchema,
  updateSchema: IngressGatewayUpdateSchema,

  // Listener TLS rules (TLS needs a server certificate, ...) live in the schema (case A12); the
  // mesh minimum never applies to gateway listeners.
  build(input, base) {
    const { mtls, ...rest } = input;
    return {
      record: {
        ...base,
        ...rest,
        mtls: {
          certificateId: newOcid('certificate'),
          maximumValidity: mtls?.maximumValidity ?? DEFAULT_MAXIMUM_VALIDITY_DAYS,
        },
      },
    };
  },

  patch(record, input) {
    const { mtls, ...rest } = input;
    const next = { ...record, ...presentFields(rest) };
    if (mtls?.maximumValidity !== undefined && next.mtls) {
      next.mtls = { ...next.mtls, maximumValidity: mtls.maximumValidity };
    }
    return { record: next };
  },

  referencedBy(record, ctx) {
    const policies = ctx.stores.AccessPolicy.listLive({ parentIds: [record.meshId] })
      .filter((p) =>
        p.rules.some((r) =>
          [r.source, r.destination].some(
            (t) => t.type === 'INGRESS_GATEWAY' && t.ingressGatewayId === record.id,
          ),
        ),
      )
      .map((p) => p.name);
    return describeNames('access policy', 'access policies', policies);
  },

  present: (record) => withoutInternal(record),
};
