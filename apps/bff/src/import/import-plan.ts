import type {
  AccessPolicyCreate,
  FindingCode,
  IngressGatewayCreate,
  IngressGatewayRouteTableCreate,
  MeshCreate,
  MtlsMode,
  VirtualDeploymentCreate,
  VirtualServiceCreate,
  VirtualServiceRouteTableCreate,
} from '@meshdeck/domain';

/** The seven OCI Service Mesh resources, in the order an import creates them (parents first). */
export const RESOURCE_KINDS = [
  'Mesh',
  'VirtualService',
  'VirtualDeployment',
  'VirtualServiceRouteTable',
  'IngressGateway',
  'IngressGatewayRouteTable',
  'AccessPolicy',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export type ImportFormat = 'operator-yaml' | 'oci-json';

/** `format` of a Meshdeck OCI JSON export (see docs/import.md). */
export const OCI_JSON_FORMAT = 'meshdeck/oci-json@1';

/**
 * Stands for "the certificate authority Meshdeck manages for this mesh". A mesh item whose file
 * gave only a placeholder CA (e.g. `$YOUR_CERTIFICATE_AUTHORITY_OCID`) carries
 * `certificateAuthorities: [{ id: MANAGED_CA }]` and a ref with this key; the applier's `idOf`
 * answers it with the id of the CA it uses for that mesh. An export may also write this value
 * as the CA id of a Meshdeck-managed CA.
 */
export const MANAGED_CA = 'meshdeck:managed-ca';

/** Create bodies by kind (the domain's Create schemas). */
export interface CreateBodies {
  Mesh: MeshCreate;
  VirtualService: VirtualServiceCreate;
  VirtualDeployment: VirtualDeploymentCreate;
  VirtualServiceRouteTable: VirtualServiceRouteTableCreate;
  IngressGateway: IngressGatewayCreate;
  IngressGatewayRouteTable: IngressGatewayRouteTableCreate;
  AccessPolicy: AccessPolicyCreate;
}

/** A field path inside a body: `['routeRules', 0, 'destinations', 1, 'virtualDeploymentId']`. */
export type BodyPath = (string | number)[];

/**
 * A reference from one plan item to another item of the same plan (or to {@link MANAGED_CA}).
 * Until resolved, the body holds `key` itself at `path`.
 */
export interface PlanRef {
  path: BodyPath;
  /** `PlanItem.key` of the referenced item, or MANAGED_CA. */
  key: string;
}

interface PlanItemOf<K extends ResourceKind> {
  /**
   * Unique within the plan. Operator YAML: `Kind/metadata.name` (`Kind/namespace/name` when the
   * file holds that kind and name in several namespaces). OCI JSON: `Kind/<id in the file>`.
   */
  key: string;
  kind: K;
  /** The OCI name (`displayName` for a mesh). */
  name: string;
  /** 0-based index of the YAML document (operator YAML only). */
  documentIndex?: number;
  /**
   * Operator YAML: `metadata.name`, the name other files use in `ref.name`. The applier records
   * it with `sourceNamespace` so that later file-by-file imports find the resource by the names
   * the files use (see ExistingResources.findBySource).
   */
  sourceName?: string;
  /** Operator YAML: `metadata.namespace`; absent when the document has none. */
  sourceNamespace?: string;
  /** OCI JSON: the resource's id in the file, replaced by a new id on import. */
  sourceId?: string;
  /**
   * The create body, valid for the domain Create schema once every ref is replaced by an id.
   * References to resources that already exist hold their real id and need no ref.
   */
  body: CreateBodies[K];
  refs: PlanRef[];
}

/** One create, in dependency order. */
export type PlanItem = { [K in ResourceKind]: PlanItemOf<K> }[ResourceKind];

/** Import flags use the domain's finding codes (FINDING_CODES). */
export type ImportFlagCode = FindingCode;

export interface PlanFlag {
  key: string;
  kind: ResourceKind;
  name: string;
  code: ImportFlagCode;
  severity: 'warning' | 'info';
  message: string;
  /** Field path inside the body, e.g. `hosts[0].listeners[0].tls.serverCertificate`. */
  path: string;
}

export interface PlanSkipped {
  kind: string;
  name: string;
  documentIndex?: number;
  reason: string;
}

export interface PlanRejected {
  /** A resource kind, the document's own kind, `Document` (no kind) or `File` (whole file). */
  kind: string;
  name: string;
  documentIndex?: number;
  sourceId?: string;
  reasons: string[];
}

export interface ImportPlan {
  /** Absent when the content was not recognised (HCL, unsupported content type). */
  format?: ImportFormat;
  /** The target compartment when every item shares one (always when the option was given). */
  compartmentId?: string;
  items: PlanItem[];
  skipped: PlanSkipped[];
  /** Any entry here means the import must create nothing. */
  rejected: PlanRejected[];
  flagged: PlanFlag[];
  /** Every reference of a planned item that names a resource already in Meshdeck. */
  resolved: PlanResolution[];
}

/** Kinds a reference can name. */
export type ReferenceKind = 'Mesh' | 'VirtualService' | 'VirtualDeployment' | 'IngressGateway';

/**
 * How a reference was bound to an existing resource: `import-source` by the (namespace,
 * metadata.name) an earlier operator YAML import recorded for it, `name` by its OCI name (the
 * only live one in the scope), `id` by its OCID.
 */
export type ResolutionVia = 'import-source' | 'name' | 'id';

/** A reference of a planned item bound to a resource that already exists. */
export interface PlanResolution {
  key: string;
  kind: ResourceKind;
  name: string;
  documentIndex?: number;
  /** Where the reference is in the file, e.g. `spec.rules[1].destination.virtualService`. */
  path: string;
  /** The reference as the file gives it: `ref` (namespace as used for the lookup) or `id`. */
  reference: { name: string; namespace?: string } | { id: string };
  via: ResolutionVia;
  target: ExistingResource & { kind: ReferenceKind | ResourceKind };
}

export interface ExistingResource {
  id: string;
  /** OCI name (`displayName` for a mesh), for messages and the report. */
  name?: string;
  compartmentId?: string;
  /** The mesh it belongs to (a mesh: itself), when known: references must stay in one mesh. */
  meshId?: string;
  /** That mesh's displayName, for messages and the report. */
  meshName?: string;
  /** For a virtual deployment: its virtual service. */
  virtualServiceId?: string;
  /** For a mesh: its mTLS minimum (checks the declared mode of new virtual services). */
  mtlsMinimum?: MtlsMode;
  /** For an ingress gateway: its host names (route tables attach by one of them). */
  hostNames?: string[];
  /**
   * The operator document an earlier import created it from; absent when it was not created by
   * an operator YAML import. `namespace` is '' when the document had none.
   */
  source?: { namespace: string; name: string };
}

/**
 * Resources already in Meshdeck (live ones only), for references the file does not define.
 * Every method is optional; a missing method finds nothing. The planner decides which answer a
 * reference binds to (docs/import.md, "References to resources already in Meshdeck"):
 * import source first, then the OCI name when it is unambiguous; it never binds to a resource
 * outside the parent scope, and rejects ambiguous references naming the candidates.
 */
export interface ExistingResources {
  /**
   * Resources of `kind` an earlier operator YAML import created from a document with this
   * `metadata.name`, in any namespace (each answer carries its `source`). `parentId` limits the
   * answer to one parent: a mesh for virtual services and gateways, a virtual service for
   * deployments; undefined when the reference does not say.
   */
  findBySource?(kind: ReferenceKind, name: string, parentId?: string): ExistingResource[];
  /** Resources of `kind` with this OCI name (a mesh: displayName), under `parentId` when given. */
  findByName?(kind: ReferenceKind, name: string, parentId?: string): ExistingResource[];
  /** References by id (OCI JSON, operator `id:`) that are not in the file. */
  findById?(kind: ResourceKind, id: string): ExistingResource | undefined;
  /** True when a CA id is one Meshdeck manages (then it is neither external nor flagged). */
  isManagedCertificateAuthority?(id: string): boolean;
}

export interface PlanImportOptions {
  /** Target compartment: overrides every compartmentId in the file. */
  compartmentId?: string;
  /** Replaces the mesh CA of the file (placeholder or foreign OCID). */
  certificateAuthorityId?: string;
  /** Values for `$NAME` / `${NAME}` placeholders, keyed by NAME (a leading `$` is ignored). */
  variables?: Record<string, string>;
  existing?: ExistingResources;
}

/** Thrown by resolvePlanBody when `idOf` has no id for a ref: the applier's order is wrong. */
export class UnresolvedReferenceError extends Error {
  constructor(
    readonly itemKey: string,
    readonly missingKeys: string[],
  ) {
    super(`${itemKey}: no id for ${missingKeys.join(', ')}`);
    this.name = 'UnresolvedReferenceError';
  }
}

/**
 * The concrete create body of `item`: a copy with every ref replaced by `idOf(ref.key)` (the id
 * of an item created earlier, or of Meshdeck's CA for MANAGED_CA). Throws
 * UnresolvedReferenceError when `idOf` has no answer; never changes `item`.
 */
export function resolvePlanBody<T extends PlanItem>(
  item: T,
  idOf: (key: string) => string | undefined,
): T['body'] {
  const body = structuredClone(item.body);
  const missing: string[] = [];
  for (const ref of item.refs) {
    const id = idOf(ref.key);
    if (id === undefined) missing.push(ref.key);
    else setAtPath(body, ref.path, id);
  }
  if (missing.length > 0) throw new UnresolvedReferenceError(item.key, [...new Set(missing)]);
  return body;
}

/** True for a mesh item that needs Meshdeck's CA: `idOf(MANAGED_CA)` must answer for it. */
export function usesManagedCa(item: PlanItem): boolean {
  return item.refs.some((r) => r.key === MANAGED_CA);
}

/** The keys an item needs ids for, without duplicates. */
export function planItemDependencies(item: PlanItem): string[] {
  return [...new Set(item.refs.map((r) => r.key))];
}

export function setAtPath(target: unknown, path: BodyPath, value: unknown): void {
  let node = target;
  for (const [i, step] of path.entries()) {
    if (node === null || typeof node !== 'object') break;
    const record = node as Record<string | number, unknown>;
    if (i === path.length - 1) {
      record[step] = value;
      return;
    }
    node = record[step];
  }
  throw new Error(`no field at ${path.join('.')}`);
}
