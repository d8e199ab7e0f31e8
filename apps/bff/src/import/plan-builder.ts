import {
  AccessPolicyCreateSchema,
  formatPath,
  IngressGatewayCreateSchema,
  IngressGatewayRouteTableCreateSchema,
  MeshCreateSchema,
  VirtualDeploymentCreateSchema,
  VirtualServiceCreateSchema,
  VirtualServiceRouteTableCreateSchema,
  type MtlsMode,
} from '@meshdeck/domain';
import {
  MANAGED_CA,
  RESOURCE_KINDS,
  setAtPath,
  type BodyPath,
  type ExistingResource,
  type ImportFlagCode,
  type ImportFormat,
  type ImportPlan,
  type PlanFlag,
  type PlanImportOptions,
  type PlanItem,
  type PlanRef,
  type PlanRejected,
  type PlanResolution,
  type PlanSkipped,
  type ReferenceKind,
  type ResolutionVia,
  type ResourceKind,
} from './import-plan.ts';

const CREATE_SCHEMAS = {
  Mesh: MeshCreateSchema,
  VirtualService: VirtualServiceCreateSchema,
  VirtualDeployment: VirtualDeploymentCreateSchema,
  VirtualServiceRouteTable: VirtualServiceRouteTableCreateSchema,
  IngressGateway: IngressGatewayCreateSchema,
  IngressGatewayRouteTable: IngressGatewayRouteTableCreateSchema,
  AccessPolicy: AccessPolicyCreateSchema,
} as const;

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const PLACEHOLDER = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/;

/** `YOUR_X` for `$YOUR_X` or `${YOUR_X}`; undefined for anything else. */
export function placeholderName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = PLACEHOLDER.exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * Where a resource sits: `{ key }` for an item of this plan, `{ id }` for a resource that
 * already exists. Two scopes of different sorts are never the same (a new mesh holds no existing
 * service).
 */
export type Scope = { key: string } | { id: string };

export function sameScope(a: Scope | undefined, b: Scope | undefined): boolean {
  if (!a || !b) return true;
  if ('key' in a) return 'key' in b && a.key === b.key;
  return 'id' in b && a.id === b.id;
}

/** A resource the file defines, known before mapping so references can find it. */
export interface Entity {
  kind: ResourceKind;
  key: string;
  /** OCI name (displayName for a mesh). */
  name: string;
  documentIndex?: number;
  sourceName?: string;
  sourceNamespace?: string;
  sourceId?: string;
  /** Filled while mapping, parents first. */
  mesh?: Scope;
  vs?: Scope;
  hostNames?: string[];
  meshMinimum?: MtlsMode;
}

/** What a reference resolved to. `value` goes into the body: a plan key or a real id. */
export interface Resolved {
  value: string;
  key?: string;
  self: Scope;
  mesh?: Scope;
  vs?: Scope;
  entity?: Entity;
  meshMinimum?: MtlsMode;
  /** Host names of an ingress gateway, when known. */
  hostNames?: string[];
  /** Set when the reference names a resource already in Meshdeck. */
  existing?: { via: ResolutionVia; target: PlanResolution['target'] };
}

/**
 * What a reference to a resource already in Meshdeck found: one resource, several (the
 * reference is ambiguous), or none; `otherSources` are live resources with that OCI name that an
 * earlier import created from another Kubernetes resource (never bound, named in the message).
 */
export type ExistingLookup =
  | { found: Resolved }
  | { ambiguous: ExistingResource[]; via: Exclude<ResolutionVia, 'id'> }
  | { missing: true; otherSources: ExistingResource[] };

/** The name to show for what a reference resolved to: OCI name when known, else the id. */
export function nameOf(resolved: Resolved): string {
  return resolved.entity?.name ?? resolved.existing?.target.name ?? resolved.value;
}

export function resolvedFromEntity(entity: Entity): Resolved {
  return {
    value: entity.key,
    key: entity.key,
    self: { key: entity.key },
    mesh: entity.kind === 'Mesh' ? { key: entity.key } : entity.mesh,
    vs: entity.vs,
    entity,
    meshMinimum: entity.meshMinimum,
  };
}

/** The Resolved of an existing resource; `within` is the scope it was looked up in. */
function existingResolved(
  kind: ResourceKind,
  r: ExistingResource,
  via: ResolutionVia,
  within?: Scope,
): Resolved {
  const meshId = kind === 'Mesh' ? r.id : r.meshId;
  const mesh: Scope | undefined =
    meshId !== undefined
      ? { id: meshId }
      : kind === 'VirtualService' || kind === 'IngressGateway'
        ? within
        : undefined;
  const vsId =
    r.virtualServiceId ??
    (kind === 'VirtualDeployment' && within && 'id' in within ? within.id : undefined);
  return {
    value: r.id,
    self: { id: r.id },
    ...(mesh ? { mesh } : {}),
    ...(vsId !== undefined ? { vs: { id: vsId } } : {}),
    ...(r.mtlsMinimum ? { meshMinimum: r.mtlsMinimum } : {}),
    ...(r.hostNames ? { hostNames: r.hostNames } : {}),
    existing: { via, target: { kind, ...r } },
  };
}

/** Put where a reference failed, so the schema does not report the same field again. */
const UNRESOLVED_ID = 'ocid1.unresolved.oc1..import';

const KIND_LABEL: Record<ResourceKind, string> = {
  Mesh: 'mesh',
  VirtualService: 'virtual service',
  VirtualDeployment: 'virtual deployment',
  VirtualServiceRouteTable: 'virtual service route table',
  IngressGateway: 'ingress gateway',
  IngressGatewayRouteTable: 'ingress gateway route table',
  AccessPolicy: 'access policy',
};

export function describe(kind: ResourceKind, name: string): string {
  return `${KIND_LABEL[kind]} '${name}'`;
}

type PendingFlag = Omit<PlanFlag, 'key' | 'kind' | 'name'>;
type PendingResolution = Omit<PlanResolution, 'key' | 'kind' | 'name' | 'documentIndex'>;

/** One resource being mapped: its body so far, refs, and every problem found. */
export class Draft {
  readonly refs: PlanRef[] = [];
  readonly reasons: string[] = [];
  readonly flags: PendingFlag[] = [];
  readonly resolutions: PendingResolution[] = [];
  /** Body paths whose schema issues are already explained by a reason. */
  private readonly suppressed: string[] = [];
  /** Body paths whose placeholders were dealt with (compartment, certificates, CA). */
  readonly handled = new Set<string>();
  body: Json = {};
  /** The parent that makes the name unique (mesh, virtual service or gateway). */
  parent?: Scope;

  constructor(readonly entity: Entity) {}

  fail(message: string, bodyPath?: BodyPath): void {
    this.reasons.push(message);
    if (bodyPath) this.suppressed.push(formatPath(bodyPath));
  }

  isSuppressed(path: string): boolean {
    return this.suppressed.some(
      (s) => path === s || path.startsWith(`${s}.`) || path.startsWith(`${s}[`),
    );
  }

  /** The value to put at `path` for a reference; records a ref when it points into the plan. */
  link(path: BodyPath, resolved: Resolved | undefined): string {
    if (!resolved) return UNRESOLVED_ID;
    if (resolved.key !== undefined) this.refs.push({ path, key: resolved.key });
    return resolved.value;
  }

  flag(
    code: ImportFlagCode,
    severity: PendingFlag['severity'],
    message: string,
    path: BodyPath,
  ): void {
    this.flags.push({ code, severity, message, path: formatPath(path) });
  }

  /** Notes, for the report, which existing resource the reference at `path` binds to. */
  noteResolution(
    path: string,
    reference: PendingResolution['reference'],
    resolved: Resolved | undefined,
  ): void {
    if (!resolved?.existing) return;
    this.resolutions.push({ path, reference, ...resolved.existing });
  }
}

/** State shared by both formats: entities, results, and the steps every item goes through. */
export class PlanBuilder {
  private readonly items: PlanItem[] = [];
  private readonly skipped: PlanSkipped[] = [];
  private readonly rejected: PlanRejected[] = [];
  private readonly flagged: PlanFlag[] = [];
  private readonly resolved: PlanResolution[] = [];
  private readonly names = new Map<string, Entity>();
  private readonly variables: Map<string, string>;

  constructor(
    private readonly format: ImportFormat,
    readonly options: PlanImportOptions,
  ) {
    this.variables = new Map(
      Object.entries(options.variables ?? {}).map(([k, v]) => [k.replace(/^\$/, ''), v]),
    );
  }

  skip(entry: PlanSkipped): void {
    this.skipped.push(entry);
  }

  reject(entry: PlanRejected): void {
    this.rejected.push(entry);
  }

  /** Replaces every whole-string `$NAME` that `options.variables` knows, at any depth. */
  substitute(value: unknown): unknown {
    const name = placeholderName(value);
    if (name !== undefined) return this.variables.get(name) ?? value;
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.substitute(v)]));
    }
    return value;
  }

  /**
   * A mesh, virtual service, deployment or gateway that already exists in Meshdeck, for an
   * operator `ref` (`name` is its metadata.name, `namespace` the reference's, '' when none).
   * `within` is the parent scope: a parent from this plan cannot hold existing children, and an
   * existing parent limits the search to its children.
   *
   * 1. Import source: the resources an earlier import created from a document with that name,
   *    same namespace first, else (either side without namespace) the only one.
   * 2. Else the OCI name, when exactly one live resource in the scope has it and no earlier
   *    import created it from another Kubernetes resource.
   * Several answers at either step make the reference ambiguous: never guessed.
   */
  findExisting(
    kind: ReferenceKind,
    ref: { name: string; namespace: string },
    within?: Scope,
  ): ExistingLookup {
    const none: ExistingLookup = { missing: true, otherSources: [] };
    const existing = this.options.existing;
    if (!existing || (within && 'key' in within)) return none;
    const parentId = within?.id;
    if (kind === 'VirtualDeployment' && parentId === undefined) return none;
    // A store that ignores parentId must still never bind across parents.
    const inScope = (r: ExistingResource): boolean => {
      if (parentId === undefined) return true;
      const parentOf = kind === 'VirtualDeployment' ? r.virtualServiceId : r.meshId;
      return parentOf === undefined || parentOf === parentId;
    };
    const found = (r: ExistingResource, via: ResolutionVia): ExistingLookup => ({
      found: existingResolved(kind, r, via, within),
    });

    const bySource = (existing.findBySource?.(kind, ref.name, parentId) ?? []).filter(
      (r) => r.source?.name === ref.name && inScope(r),
    );
    const exact = bySource.filter((r) => r.source?.namespace === ref.namespace);
    const loose = bySource.filter((r) => r.source?.namespace === '' || ref.namespace === '');
    for (const candidates of [exact, loose]) {
      const [only] = candidates;
      if (candidates.length === 1 && only) return found(only, 'import-source');
      if (candidates.length > 1) return { ambiguous: candidates, via: 'import-source' };
    }

    const byName = (existing.findByName?.(kind, ref.name, parentId) ?? []).filter(inScope);
    // An imported resource answers to its own Kubernetes name (step 1), not to its OCI name.
    const unsourced = byName.filter((r) => !r.source);
    const [only] = unsourced;
    if (unsourced.length === 1 && only) return found(only, 'name');
    if (unsourced.length > 1) return { ambiguous: unsourced, via: 'name' };
    return { missing: true, otherSources: byName.filter((r) => r.source) };
  }

  /** A reference by id that the file does not define (OCI JSON ids, operator `id:`). */
  findExistingById(kind: ResourceKind, id: string): Resolved | undefined {
    const r = this.options.existing?.findById?.(kind, id);
    return r && existingResolved(kind, r, 'id');
  }

  /**
   * Compartment, CA and certificate handling, leftover placeholders, name clashes and schema
   * validation; then the draft becomes a plan item or a rejection.
   */
  finish(draft: Draft): void {
    const { entity } = draft;
    this.applyCompartment(draft);
    if (entity.kind === 'Mesh') this.applyCertificateAuthority(draft);
    if (entity.kind === 'IngressGateway') flagListenerCertificates(draft);
    rejectLeftoverPlaceholders(draft, draft.body, []);
    this.claimName(draft);

    const probe = structuredClone(draft.body);
    draft.refs.forEach((ref, i) => setAtPath(probe, ref.path, `ocid1.importref.oc1..${i}`));
    const result = CREATE_SCHEMAS[entity.kind].safeParse(probe);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = formatPath(issue.path);
        if (draft.isSuppressed(path)) continue;
        draft.reasons.push(path ? `${path}: ${issue.message}` : issue.message);
      }
    }
    if (draft.reasons.length > 0 || !result.success) {
      this.rejected.push({
        kind: entity.kind,
        name: entity.name,
        ...(entity.documentIndex !== undefined ? { documentIndex: entity.documentIndex } : {}),
        ...(entity.sourceId !== undefined ? { sourceId: entity.sourceId } : {}),
        reasons: draft.reasons,
      });
      return;
    }
    const body = result.data;
    for (const ref of draft.refs) setAtPath(body, ref.path, ref.key);
    this.items.push({
      key: entity.key,
      kind: entity.kind,
      name: entity.name,
      ...(entity.documentIndex !== undefined ? { documentIndex: entity.documentIndex } : {}),
      ...(entity.sourceName !== undefined ? { sourceName: entity.sourceName } : {}),
      ...(entity.sourceNamespace ? { sourceNamespace: entity.sourceNamespace } : {}),
      ...(entity.sourceId !== undefined ? { sourceId: entity.sourceId } : {}),
      body,
      refs: draft.refs,
    } as PlanItem);
    for (const f of draft.flags) {
      this.flagged.push({ key: entity.key, kind: entity.kind, name: entity.name, ...f });
    }
    for (const r of draft.resolutions) {
      this.resolved.push({
        key: entity.key,
        kind: entity.kind,
        name: entity.name,
        ...(entity.documentIndex !== undefined ? { documentIndex: entity.documentIndex } : {}),
        ...r,
      });
    }
  }

  build(): ImportPlan {
    const order = (k: string) => RESOURCE_KINDS.indexOf(k as ResourceKind);
    const byDocument = (a: { documentIndex?: number }, b: { documentIndex?: number }) =>
      (a.documentIndex ?? Infinity) - (b.documentIndex ?? Infinity);
    const items = [...this.items].sort((a, b) => order(a.kind) - order(b.kind));
    const compartments = new Set(items.map((i) => i.body.compartmentId));
    const compartmentId =
      this.options.compartmentId ?? (compartments.size === 1 ? [...compartments][0] : undefined);
    return {
      format: this.format,
      ...(compartmentId !== undefined ? { compartmentId } : {}),
      items,
      skipped: [...this.skipped].sort(byDocument),
      rejected: [...this.rejected].sort(byDocument),
      flagged: this.flagged,
      resolved: this.resolved,
    };
  }

  private applyCompartment(draft: Draft): void {
    draft.handled.add('compartmentId');
    const target = this.options.compartmentId;
    const given = draft.body.compartmentId;
    if (target !== undefined) {
      draft.body.compartmentId = target;
    } else if (given === undefined) {
      draft.fail('compartmentId is missing: choose a target compartment', ['compartmentId']);
    } else if (placeholderName(given) !== undefined) {
      draft.fail(`compartmentId is a placeholder (${String(given)}): choose a target compartment`, [
        'compartmentId',
      ]);
    }
  }

  /**
   * The mesh CA: the certificateAuthorityId option wins; a placeholder (or nothing) becomes
   * MANAGED_CA; a real id Meshdeck does not manage is kept and flagged CA001.
   */
  private applyCertificateAuthority(draft: Draft): void {
    const { body } = draft;
    const target = this.options.certificateAuthorityId;
    const cas = body.certificateAuthorities;
    const managed = (i: number) => {
      const path = ['certificateAuthorities', i, 'id'];
      draft.handled.add(formatPath(path));
      draft.refs.push({ path, key: MANAGED_CA });
      return { id: MANAGED_CA };
    };
    if (target !== undefined) {
      const count = Array.isArray(cas) && cas.length > 1 ? cas.length : 1;
      body.certificateAuthorities = Array.from({ length: count }, () => ({ id: target }));
      return;
    }
    if (cas === undefined || (Array.isArray(cas) && cas.length === 0)) {
      body.certificateAuthorities = [managed(0)];
      draft.flag('CA002', 'info', 'no certificate authority given: Meshdeck manages the mesh CA', [
        'certificateAuthorities',
      ]);
      return;
    }
    if (!Array.isArray(cas)) return;
    body.certificateAuthorities = cas.map((ca: unknown, i) => {
      if (!isRecord(ca) || typeof ca.id !== 'string') return ca;
      if (ca.id === MANAGED_CA) return managed(i);
      if (placeholderName(ca.id) !== undefined) {
        draft.flag(
          'CA002',
          'info',
          `certificate authority is a placeholder (${ca.id}): Meshdeck manages the mesh CA` +
            ' (give certificateAuthorityId to use another)',
          ['certificateAuthorities', i],
        );
        return managed(i);
      }
      if (!this.options.existing?.isManagedCertificateAuthority?.(ca.id)) {
        draft.flag(
          'CA001',
          'warning',
          `certificate authority ${ca.id} is not managed by Meshdeck (kept as external)`,
          ['certificateAuthorities', i],
        );
      }
      return ca;
    });
  }

  /** OCI names are unique per parent (spec §5); two siblings in one file would collide. */
  private claimName(draft: Draft): void {
    const { entity, parent } = draft;
    if (entity.kind === 'Mesh' || !parent) return;
    const scope = 'key' in parent ? `key:${parent.key}` : `id:${parent.id}`;
    const claim = `${entity.kind}|${scope}|${entity.name}`;
    const other = this.names.get(claim);
    if (other) {
      draft.fail(
        `name '${entity.name}' is already used by ${describe(other.kind, other.key)} under the same parent`,
        ['name'],
      );
    } else {
      this.names.set(claim, entity);
    }
  }
}

/** CERT001 for real certificate references, CERT002 for placeholders; both stay in the body. */
function flagListenerCertificates(draft: Draft): void {
  const hosts = draft.body.hosts;
  if (!Array.isArray(hosts)) return;
  hosts.forEach((host: unknown, h) => {
    if (!isRecord(host) || !Array.isArray(host.listeners)) return;
    host.listeners.forEach((listener: unknown, l) => {
      if (!isRecord(listener) || !isRecord(listener.tls)) return;
      const tls = listener.tls;
      const at = ['hosts', h, 'listeners', l, 'tls'];
      flagCertificate(draft, tls.serverCertificate, [...at, 'serverCertificate'], 'certificateId');
      if (isRecord(tls.clientValidation)) {
        flagCertificate(
          draft,
          tls.clientValidation.trustedCaBundle,
          [...at, 'clientValidation', 'trustedCaBundle'],
          'caBundleId',
        );
      }
    });
  });
}

function flagCertificate(
  draft: Draft,
  ref: unknown,
  path: BodyPath,
  idField: 'certificateId' | 'caBundleId',
): void {
  if (!isRecord(ref)) return;
  const what = idField === 'certificateId' ? 'server certificate' : 'trusted CA bundle';
  const field = ref.type === 'LOCAL_FILE' ? 'secretName' : idField;
  const value = ref[field];
  if (typeof value !== 'string') return;
  draft.handled.add(formatPath([...path, field]));
  if (placeholderName(value) !== undefined) {
    const fix = field === 'secretName' ? 'set a real secret name' : `set a real ${what}`;
    draft.flag('CERT002', 'warning', `${what} is a placeholder (${value}): ${fix}`, path);
  } else if (field === 'secretName') {
    draft.flag(
      'CERT001',
      'info',
      `${what} comes from Kubernetes secret '${value}', not managed by Meshdeck (kept as external)`,
      path,
    );
  } else {
    draft.flag(
      'CERT001',
      'info',
      `${what} ${value} is not managed by Meshdeck (kept as external)`,
      path,
    );
  }
}

function rejectLeftoverPlaceholders(draft: Draft, value: unknown, path: BodyPath): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => rejectLeftoverPlaceholders(draft, v, [...path, i]));
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) rejectLeftoverPlaceholders(draft, v, [...path, k]);
  } else if (placeholderName(value) !== undefined) {
    const at = formatPath(path);
    if (draft.handled.has(at)) return;
    draft.fail(
      `${at}: ${String(value)} is a placeholder with no value (give it in variables)`,
      path,
    );
  }
}
