import {
  checkMeshMinimumChange,
  DEFAULT_MESH_MINIMUM,
  MeshCreateSchema,
  MeshUpdateSchema,
  type Mesh,
  type MeshCreate,
  type MeshUpdate,
  type MtlsMode,
} from '@meshdeck/domain';
import { newEtag } from '../ids.ts';
import { presentFields, withoutInternal, type KindDefinition } from '../resources/resource-kind.ts';
import type { BaseRecord } from '../resources/resource-store.ts';
import { throwOnRuleErrors } from '../resources/rule-errors.ts';

export type MeshRecord = Mesh &
  BaseRecord & {
    /** When the minimum last changed (null: never since creation); starts the 30 s timer. */
    mtlsChangedAt: string | null;
    /** The CA is not managed by Meshdeck (set at import; CA001). */
    caExternal: boolean;
  };

export const meshKind: KindDefinition<MeshRecord, MeshCreate, MeshUpdate> = {
  store: {
    kind: 'Mesh',
    table: 'meshes',
    nameField: 'displayName',
    columns: {
      fields: ['mtls', 'mtlsChangedAt', 'certificateAuthorities', 'caExternal'],
      names: ['mtls_minimum', 'mtls_changed_at', 'ca_id', 'ca_external'],
      toRow: (r) => ({
        mtls_minimum: r.mtls.minimum,
        mtls_changed_at: r.mtlsChangedAt,
        ca_id: r.certificateAuthorities[0]?.id ?? '',
        ca_external: r.caExternal ? 1 : 0,
      }),
      fromRow: (row) => ({
        mtls: { minimum: row.mtls_minimum as MtlsMode },
        mtlsChangedAt: (row.mtls_changed_at as string | null) ?? null,
        certificateAuthorities: [{ id: row.ca_id as string }],
        caExternal: row.ca_external === 1,
      }),
    },
  },
  label: 'mesh',
  plural: 'meshes',
  ocidType: 'servicemesh',
  oci: {
    path: 'meshes',
    operationSuffix: 'MESH',
    summaryFields: ['displayName', 'description', 'mtls'],
  },
  createSchema: MeshCreateSchema,
  updateSchema: MeshUpdateSchema,

  build(input, base) {
    return {
      record: {
        ...base,
        displayName: input.displayName,
        ...(input.description !== undefined ? { description: input.description } : {}),
        certificateAuthorities: input.certificateAuthorities,
        // A4: a mesh created without an mtls block gets the OCI default, materialised.
        mtls: { minimum: input.mtls?.minimum ?? DEFAULT_MESH_MINIMUM },
        ...(input.freeformTags ? { freeformTags: input.freeformTags } : {}),
        ...(input.definedTags ? { definedTags: input.definedTags } : {}),
        mtlsChangedAt: null,
        caExternal: false,
      },
    };
  },

  patch(record, input, ctx) {
    const { mtls, ...rest } = input;
    const next: MeshRecord = { ...record, ...presentFields(rest) };
    if (mtls && mtls.minimum !== record.mtls.minimum) {
      const services = ctx.stores.VirtualService.listLive({ parentIds: [record.id] });
      throwOnRuleErrors(
        checkMeshMinimumChange({
          before: record.mtls.minimum,
          after: mtls.minimum,
          lastChangedAt: record.mtlsChangedAt,
          declaredServices: services.map((s) => ({
            name: s.name,
            declared: s.declaredMode,
            lastChangedAt: s.mtlsChangedAt,
          })),
          now: ctx.now,
        }),
        { conflictCodes: ['MESH001'] },
      );
      next.mtls = { minimum: mtls.minimum };
      next.mtlsChangedAt = ctx.nowIso;
    }
    return { record: next };
  },

  afterUpdate(before, after, ctx) {
    if (before.mtls.minimum === after.mtls.minimum) return;
    // Inheriting services' effective mode changed with the minimum: their 30 s timer starts too,
    // and their OCI read (mtls.mode) changed, so they get a new etag.
    const store = ctx.stores.VirtualService;
    for (const vs of store.listLive({ parentIds: [after.id] })) {
      if (vs.declaredMode !== null) continue;
      store.replace({ ...vs, mtlsChangedAt: ctx.nowIso, timeUpdated: ctx.nowIso, etag: newEtag() });
    }
  },

  present: (record) => withoutInternal(record, ['mtlsChangedAt', 'caExternal']),
};
