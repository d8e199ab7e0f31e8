import type { FieldErrors, Finding, FindingCode, MtlsMode } from '@meshdeck/domain';
import type { AccessPolicyRecord } from '../access-policies/access-policy.kind.ts';
import type { IngressGatewayRouteTableRecord } from '../ingress-gateway-route-tables/ingress-gateway-route-table.kind.ts';
import type { IngressGatewayRecord } from '../ingress-gateways/ingress-gateway.kind.ts';
import type { MeshRecord } from '../meshes/mesh.kind.ts';
import type { VirtualDeploymentRecord } from '../virtual-deployments/virtual-deployment.kind.ts';
import type { VirtualServiceRouteTableRecord } from '../virtual-service-route-tables/virtual-service-route-table.kind.ts';
import type { VirtualServiceRecord } from '../virtual-services/virtual-service.kind.ts';
import type { BaseRecord, ResourceKind, ResourceStore, StoreDescriptor } from './resource-store.ts';

export interface RecordTypes {
  Mesh: MeshRecord;
  VirtualService: VirtualServiceRecord;
  VirtualDeployment: VirtualDeploymentRecord;
  VirtualServiceRouteTable: VirtualServiceRouteTableRecord;
  IngressGateway: IngressGatewayRecord;
  IngressGatewayRouteTable: IngressGatewayRouteTableRecord;
  AccessPolicy: AccessPolicyRecord;
}

export type Stores = { [K in ResourceKind]: ResourceStore<RecordTypes[K]> };

/** What a domain schema offers (zod's safeParse), without tying the BFF to zod's types. */
export interface Parser<T> {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

export interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/** Everything a write's rules may look at: the instant of the write and every store. */
export interface WriteContext {
  now: Date;
  nowIso: string;
  stores: Stores;
}

/** Read-side facts a presenter needs beyond the record itself. */
export interface PresentContext {
  meshMinimum(meshId: string): MtlsMode;
}

/** The common fields of a record about to be created. */
export interface NewRecordBase {
  id: string;
  compartmentId: string;
  lifecycleState: 'ACTIVE';
  timeCreated: string;
  timeUpdated: string;
  etag: string;
}

/** A built or patched record and the findings to keep with it (undefined: leave them as they are). */
export interface Built<R> {
  record: R;
  findings?: Finding[];
}

/**
 * One resource kind: how it is stored, named on the OCI face, validated, built, patched and
 * presented. The generic service (resource-service.ts) does the rest the same way for all kinds.
 */
export interface KindDefinition<R extends BaseRecord, C, U> {
  store: StoreDescriptor<R>;
  /** Lower-case words for messages: `virtual service`, `virtual services`. */
  label: string;
  plural: string;
  /** OCID resource type, e.g. `meshvirtualservice`. */
  ocidType: string;
  oci: {
    /** Collection path under /20220615, e.g. `virtualServices`. */
    path: string;
    /** Suffix of the work request operation type, e.g. `VIRTUAL_SERVICE`. */
    operationSuffix: string;
    /** Fields of the XSummary list item besides the common ones (spec §3). */
    summaryFields: readonly string[];
  };
  createSchema: Parser<C>;
  updateSchema: Parser<U>;
  /**
   * Field errors from rules that can be judged even when the body fails the schema, so one answer
   * lists every error (case F2). Only called when the schema parse failed.
   */
  preflightFieldErrors?(body: unknown, ctx: WriteContext, existing?: R): FieldErrors;
  /** Builds the new record from valid input; checks references and rules by throwing. */
  build(input: C, base: NewRecordBase, ctx: WriteContext, parent: BaseRecord | undefined): Built<R>;
  /** Applies a valid partial update (omitted fields unchanged); checks rules by throwing. */
  patch(record: R, input: U, ctx: WriteContext): Built<R>;
  /** Side effects of an applied update on other resources (same transaction). */
  afterUpdate?(before: R, after: R, ctx: WriteContext): void;
  /** Descriptions of live resources that point at this one and block its deletion. */
  referencedBy?(record: R, ctx: WriteContext): string[];
  /** Codes of the findings `build`/`patch` return; those are replaced on every such write. */
  findingCodes?: readonly FindingCode[];
  /** The OCI read model. */
  present(record: R, ctx: PresentContext): Record<string, unknown>;
}

// The registry holds definitions of different record types side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKindDefinition = KindDefinition<any, any, any>;

/** Drops the store's own fields (etag, timeDeleted and those named) from a record. */
export function withoutInternal(
  record: BaseRecord,
  internal: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'etag' || key === 'timeDeleted' || internal.includes(key)) continue;
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Copies the fields of a partial update that are present (undefined = omitted = unchanged). */
export function presentFields<T extends object>(input: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** `access policy a` or `access policies a, b`: names of resources for messages. */
export function describeNames(
  singular: string,
  plural: string,
  names: readonly string[],
): string[] {
  if (names.length === 0) return [];
  return [`${names.length === 1 ? singular : plural} ${names.join(', ')}`];
}
