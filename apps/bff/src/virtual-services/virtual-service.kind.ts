import {
  checkDeclaredMode,
  checkVirtualServiceModeChange,
  DEFAULT_MAXIMUM_VALIDITY_DAYS,
  DEFAULT_MESH_MINIMUM,
  effectiveMode,
  MtlsModeSchema,
  VirtualServiceCreateSchema,
  VirtualServiceUpdateSchema,
  type FieldErrors,
  type MtlsMode,
  type VirtualService,
  type VirtualServiceCreate,
  type VirtualServiceUpdate,
} from '@meshdeck/domain';
import { newOcid } from '../ids.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import {
  describeNames,
  presentFields,
  withoutInternal,
  type KindDefinition,
  type WriteContext,
} from '../resources/resource-kind.ts';
import { isPlainObject } from '../resources/parse-input.ts';
import type { BaseRecord } from '../resources/resource-store.ts';
import { findingsToFieldErrors, throwOnRuleErrors } from '../resources/rule-errors.ts';

export type VirtualServiceRecord = Omit<VirtualService, 'mtls'> &
  BaseRecord & {
    /** The mode the user set; null = inherit the mesh minimum (live). */
    declaredMode: MtlsMode | null;
    /** When the effective mode last changed, inherited changes included (30 s timer). */
    mtlsChangedAt: string | null;
    maximumValidity: number;
    /** The service-managed leaf certificate. */
    certificateId: string;
  };

function liveMeshMinimum(ctx: WriteContext, meshId: unknown): MtlsMode | undefined {
  if (typeof meshId !== 'string') return undefined;
  const mesh = ctx.stores.Mesh.get(meshId);
  return mesh && mesh.lifecycleState !== 'DELETED' ? mesh.mtls.minimum : undefined;
}

/** Names of live resources of the mesh that route or grant access to a virtual service. */
function referencesTo(record: VirtualServiceRecord, ctx: WriteContext): string[] {
  const gatewayIds = ctx.stores.IngressGateway.listLive({ parentIds: [record.meshId] }).map(
    (g) => g.id,
  );
  const routeTables = ctx.stores.IngressGatewayRouteTable.listLive({ parentIds: gatewayIds })
    .filter((t) =>
      t.routeRules.some((r) => r.destinations.some((d) => d.virtualServiceId === record.id)),
    )
    .map((t) => t.name);
  const policies = ctx.stores.AccessPolicy.listLive({ parentIds: [record.meshId] })
    .filter((p) =>
      p.rules.some((r) =>
        [r.source, r.destination].some(
          (t) => t.type === 'VIRTUAL_SERVICE' && t.virtualServiceId === record.id,
        ),
      ),
    )
    .map((p) => p.name);
  return [
    ...describeNames('ingress gateway route table', 'ingress gateway route tables', routeTables),
    ...describeNames('access policy', 'access policies', policies),
  ];
}

export const virtualServiceKind: KindDefinition<
  VirtualServiceRecord,
  VirtualServiceCreate,
  VirtualServiceUpdate
> = {
  store: {
    kind: 'VirtualService',
    table: 'virtual_services',
    nameField: 'name',
    parent: { kind: 'Mesh', column: 'mesh_id', field: 'meshId' },
    columns: {
      fields: ['declaredMode', 'mtlsChangedAt', 'maximumValidity', 'certificateId'],
      names: ['mtls_declared_mode', 'mtls_changed_at', 'maximum_validity', 'certificate_id'],
      toRow: (r) => ({
        mtls_declared_mode: r.declaredMode,
        mtls_changed_at: r.mtlsChangedAt,
        maximum_validity: r.maximumValidity,
        certificate_id: r.certificateId,
      }),
      fromRow: (row) => ({
        declaredMode: (row.mtls_declared_mode as MtlsMode | null) ?? null,
        mtlsChangedAt: (row.mtls_changed_at as string | null) ?? null,
        maximumValidity: row.maximum_validity as number,
        certificateId: row.certificate_id as string,
      }),
    },
  },
  label: 'virtual service',
  plural: 'virtual services',
  ocidType: 'meshvirtualservice',
  oci: {
    path: 'virtualServices',
    operationSuffix: 'VIRTUAL_SERVICE',
    summaryFields: ['meshId', 'name', 'description'],
  },
  createSchema: VirtualServiceCreateSchema,
  updateSchema: VirtualServiceUpdateSchema,

  /**
   * F2: the below-minimum rule is judged even when other fields fail the schema, as long as the
   * mode itself is a valid mode and the mesh is known, so the 400 lists every field error.
   */
  preflightFieldErrors(body, ctx, existing): FieldErrors {
    if (!isPlainObject(body) || !isPlainObject(body.mtls)) return {};
    const mode = MtlsModeSchema.safeParse(body.mtls.mode);
    if (!mode.success) return {};
    const minimum = liveMeshMinimum(ctx, existing ? existing.meshId : body.meshId);
    return minimum ? findingsToFieldErrors(checkDeclaredMode(mode.data, minimum)) : {};
  },

  build(input, base, _ctx, parent) {
    const mesh = parent as MeshRecord;
    const declared = input.mtls?.mode ?? null;
    throwOnRuleErrors(checkDeclaredMode(declared, mesh.mtls.minimum));
    return {
      record: {
        ...base,
        meshId: input.meshId,
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        // OCI documents DENY as the default routing policy; materialised so reads show it.
        defaultRoutingPolicy: input.defaultRoutingPolicy ?? { type: 'DENY' },
        ...(input.hosts ? { hosts: input.hosts } : {}),
        ...(input.freeformTags ? { freeformTags: input.freeformTags } : {}),
        ...(input.definedTags ? { definedTags: input.definedTags } : {}),
        declaredMode: declared,
        // A create is not a change: the first change after it needs no wait (case A2).
        mtlsChangedAt: null,
        maximumValidity: input.mtls?.maximumValidity ?? DEFAULT_MAXIMUM_VALIDITY_DAYS,
        certificateId: newOcid('certificate'),
      },
    };
  },

  patch(record, input, ctx) {
    const { mtls, ...rest } = input;
    const next: VirtualServiceRecord = { ...record, ...presentFields(rest) };
    // A5: only an explicit mtls key touches mTLS; an update without one starts no timer.
    if (mtls !== undefined) {
      const minimum = liveMeshMinimum(ctx, record.meshId) ?? DEFAULT_MESH_MINIMUM;
      const declared = mtls?.mode ?? null;
      throwOnRuleErrors(checkDeclaredMode(declared, minimum));
      throwOnRuleErrors(
        checkVirtualServiceModeChange({
          before: record.declaredMode,
          after: declared,
          meshMinimum: minimum,
          lastChangedAt: record.mtlsChangedAt,
          now: ctx.now,
        }),
      );
      if (effectiveMode(record.declaredMode, minimum) !== effectiveMode(declared, minimum)) {
        next.mtlsChangedAt = ctx.nowIso;
      }
      next.declaredMode = declared;
      if (mtls?.maximumValidity !== undefined) next.maximumValidity = mtls.maximumValidity;
    }
    return { record: next };
  },

  referencedBy: referencesTo,

  present(record, ctx) {
    const rest = withoutInternal(record, [
      'declaredMode',
      'mtlsChangedAt',
      'maximumValidity',
      'certificateId',
    ]);
    return {
      ...rest,
      mtls: {
        certificateId: record.certificateId,
        mode: effectiveMode(record.declaredMode, ctx.meshMinimum(record.meshId)),
        maximumValidity: record.maximumValidity,
      },
    };
  },
};
