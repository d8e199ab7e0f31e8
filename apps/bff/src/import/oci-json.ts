import {
  checkDeclaredMode,
  DEFAULT_MESH_MINIMUM,
  formatPath,
  MTLS_MODES,
  type MtlsMode,
} from '@meshdeck/domain';
import {
  OCI_JSON_FORMAT,
  RESOURCE_KINDS,
  setAtPath,
  type BodyPath,
  type ImportPlan,
  type PlanImportOptions,
  type ResourceKind,
} from './import-plan.ts';
import {
  describe,
  Draft,
  isRecord,
  PlanBuilder,
  nameOf,
  resolvedFromEntity,
  sameScope,
  type Entity,
  type Json,
  type Resolved,
} from './plan-builder.ts';

/*
 * Meshdeck's OCI JSON export, `meshdeck/oci-json@1` (documented in docs/import.md):
 *
 *   { "format": "meshdeck/oci-json@1", "exportedAt"?: "<RFC 3339>",
 *     "meshes": [...], "virtualServices": [...], "virtualDeployments": [...],
 *     "virtualServiceRouteTables": [...], "ingressGateways": [...],
 *     "ingressGatewayRouteTables": [...], "accessPolicies": [...] }
 *
 * Items are OCI read models. Their ids are replaced by new ids on import; an id another item
 * refers to (meshId, virtualServiceId, destinations, policy targets) resolves to the item of the
 * file with that id, else to an existing resource with that id, else the item is rejected.
 * Read-only fields are dropped. A virtual service read shows the *effective* mode in
 * `mtls.mode`, so the export adds `mtls.declared`: false means the service inherits the mesh
 * minimum (the mode is dropped on import); true or absent keeps the mode as declared, which
 * never weakens a service.
 */

export const OCI_JSON_COLLECTIONS: Record<ResourceKind, string> = {
  Mesh: 'meshes',
  VirtualService: 'virtualServices',
  VirtualDeployment: 'virtualDeployments',
  VirtualServiceRouteTable: 'virtualServiceRouteTables',
  IngressGateway: 'ingressGateways',
  IngressGatewayRouteTable: 'ingressGatewayRouteTables',
  AccessPolicy: 'accessPolicies',
};

/** Fields of every OCI read model that a create does not take. */
const READ_ONLY_FIELDS = [
  'id',
  'lifecycleState',
  'lifecycleDetails',
  'timeCreated',
  'timeUpdated',
  'systemTags',
  'etag',
];

const TOP_LEVEL_FIELDS = new Set(['format', 'exportedAt', ...Object.values(OCI_JSON_COLLECTIONS)]);

type IdKind = 'Mesh' | 'VirtualService' | 'VirtualDeployment' | 'IngressGateway';

interface JsonItem {
  kind: ResourceKind;
  raw: Json;
  entity: Entity;
}

export function isOciJsonExport(value: unknown): boolean {
  return isRecord(value) && value.format === OCI_JSON_FORMAT;
}

/** Plans a Meshdeck OCI JSON export given as text. */
export function planOciJson(text: string, options: PlanImportOptions): ImportPlan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const builder = new PlanBuilder('oci-json', options);
    const message = error instanceof Error ? error.message : String(error);
    builder.reject({ kind: 'File', name: '', reasons: [`invalid JSON: ${message}`] });
    return builder.build();
  }
  return planOciJsonValue(value, options);
}

/** Plans an already parsed OCI JSON export. */
export function planOciJsonValue(value: unknown, options: PlanImportOptions): ImportPlan {
  const builder = new PlanBuilder('oci-json', options);
  const fileProblems = checkEnvelope(value);
  if (fileProblems.length > 0 || !isRecord(value)) {
    builder.reject({ kind: 'File', name: '', reasons: fileProblems });
    return builder.build();
  }
  new OciJsonPlanner(builder, collectItems(value, builder)).run();
  return builder.build();
}

function checkEnvelope(value: unknown): string[] {
  if (!isRecord(value)) return [`expected a JSON object with "format": "${OCI_JSON_FORMAT}"`];
  const problems: string[] = [];
  if (value.format === undefined) {
    problems.push(`not a Meshdeck OCI JSON export: "format": "${OCI_JSON_FORMAT}" is missing`);
  } else if (value.format !== OCI_JSON_FORMAT) {
    problems.push(
      `unsupported format ${JSON.stringify(value.format)}: expected ${OCI_JSON_FORMAT}`,
    );
  }
  const unknown = Object.keys(value).filter((k) => !TOP_LEVEL_FIELDS.has(k));
  if (unknown.length > 0) {
    problems.push(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: expected ${[...TOP_LEVEL_FIELDS].join(', ')}`,
    );
  }
  for (const collection of Object.values(OCI_JSON_COLLECTIONS)) {
    const items = value[collection];
    if (items !== undefined && !Array.isArray(items))
      problems.push(`${collection} must be an array`);
  }
  return problems;
}

function collectItems(file: Json, builder: PlanBuilder): JsonItem[] {
  const items: JsonItem[] = [];
  const seen = new Map<string, string>();
  for (const kind of RESOURCE_KINDS) {
    const collection = OCI_JSON_COLLECTIONS[kind];
    const list = (file[collection] ?? []) as unknown[];
    list.forEach((raw, i) => {
      const where = `${collection}[${i}]`;
      if (!isRecord(raw)) {
        builder.reject({ kind, name: where, reasons: [`${where}: expected an object`] });
        return;
      }
      const nameValue = kind === 'Mesh' ? raw.displayName : raw.name;
      const name = typeof nameValue === 'string' ? nameValue : where;
      const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
      const key = `${kind}/${id ?? where}`;
      const first = seen.get(key);
      if (first !== undefined) {
        builder.reject({
          kind,
          name,
          ...(id !== undefined ? { sourceId: id } : {}),
          reasons: [`duplicate id ${String(id)}: ${where} repeats ${first}`],
        });
        return;
      }
      seen.set(key, where);
      items.push({
        kind,
        raw,
        entity: { kind, key, name, ...(id !== undefined ? { sourceId: id } : {}) },
      });
    });
  }
  return items;
}

function withoutReadOnly(raw: Json): Json {
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !READ_ONLY_FIELDS.includes(k)));
}

function isMode(value: unknown): value is MtlsMode {
  return typeof value === 'string' && (MTLS_MODES as readonly string[]).includes(value);
}

class OciJsonPlanner {
  private readonly byId = new Map<string, Entity>();

  constructor(
    private readonly builder: PlanBuilder,
    private readonly items: JsonItem[],
  ) {
    for (const item of items) {
      if (item.entity.sourceId !== undefined) {
        this.byId.set(`${item.kind}|${item.entity.sourceId}`, item.entity);
      }
    }
  }

  run(): void {
    for (const item of this.items) {
      const draft = new Draft(item.entity);
      draft.body = this.builder.substitute(withoutReadOnly(item.raw)) as Json;
      this.map(item.kind, draft);
      this.builder.finish(draft);
    }
  }

  /** An id in the file, else an existing resource's id; anything else rejects the item. */
  private resolve(draft: Draft, kind: IdKind, path: BodyPath): Resolved | undefined {
    const at = formatPath(path);
    const id = valueAt(draft.body, path);
    if (id === undefined) {
      draft.fail(`${at} is missing`, path);
      return undefined;
    }
    if (typeof id !== 'string' || id === '') {
      draft.fail(`${at}: expected an id`, path);
      return undefined;
    }
    const entity = this.byId.get(`${kind}|${id}`);
    const resolved = entity ? resolvedFromEntity(entity) : this.builder.findExistingById(kind, id);
    if (!resolved) {
      draft.fail(`${at}: ${describe(kind, id)} is not in this file or in Meshdeck`, path);
      return undefined;
    }
    draft.noteResolution(at, { id }, resolved);
    return resolved;
  }

  /** Resolves the id at `path` and writes the plan key (or real id) back in its place. */
  private link(draft: Draft, kind: IdKind, path: BodyPath): Resolved | undefined {
    const resolved = this.resolve(draft, kind, path);
    setAtPath(draft.body, path, draft.link(path, resolved));
    return resolved;
  }

  private map(kind: ResourceKind, draft: Draft): void {
    const { body, entity } = draft;
    switch (kind) {
      case 'Mesh': {
        const minimum = isRecord(body.mtls) ? body.mtls.minimum : undefined;
        entity.meshMinimum = isMode(minimum) ? minimum : DEFAULT_MESH_MINIMUM;
        entity.mesh = { key: entity.key };
        return;
      }
      case 'VirtualService': {
        const mesh = this.link(draft, 'Mesh', ['meshId']);
        entity.mesh = mesh?.self;
        draft.parent = mesh?.self;
        this.mapVirtualServiceMtls(draft, mesh);
        return;
      }
      case 'VirtualDeployment': {
        const vs = this.link(draft, 'VirtualService', ['virtualServiceId']);
        entity.vs = vs?.self;
        entity.mesh = vs?.mesh;
        draft.parent = vs?.self;
        return;
      }
      case 'VirtualServiceRouteTable': {
        const vs = this.link(draft, 'VirtualService', ['virtualServiceId']);
        draft.parent = vs?.self;
        this.forEachDestination(draft, (path) => {
          const idPath = [...path, 'virtualDeploymentId'];
          const vd = this.link(draft, 'VirtualDeployment', idPath);
          if (vd && vs && !sameScope(vd.vs, vs.self)) {
            draft.fail(
              `${formatPath(idPath)}: ${describe('VirtualDeployment', nameOf(vd))}` +
                ` belongs to another virtual service than ${describe('VirtualService', nameOf(vs))}`,
              idPath,
            );
          }
        });
        return;
      }
      case 'IngressGateway': {
        const mesh = this.link(draft, 'Mesh', ['meshId']);
        entity.mesh = mesh?.self;
        draft.parent = mesh?.self;
        entity.hostNames = Array.isArray(body.hosts)
          ? body.hosts.flatMap((h: unknown) =>
              isRecord(h) && typeof h.name === 'string' ? [h.name] : [],
            )
          : [];
        if (isRecord(body.mtls)) {
          const { certificateId: _certificateId, ...mtls } = body.mtls;
          body.mtls = Object.keys(mtls).length > 0 ? mtls : undefined;
          if (body.mtls === undefined) delete body.mtls;
        }
        return;
      }
      case 'IngressGatewayRouteTable': {
        const ig = this.link(draft, 'IngressGateway', ['ingressGatewayId']);
        draft.parent = ig?.self;
        const gatewayName = ig ? nameOf(ig) : '';
        const hostNames = ig?.entity?.hostNames;
        if (hostNames && Array.isArray(body.routeRules)) {
          body.routeRules.forEach((rule: unknown, i) => {
            const host = isRecord(rule) ? rule.ingressGatewayHost : undefined;
            if (isRecord(host) && typeof host.name === 'string' && !hostNames.includes(host.name)) {
              draft.fail(
                `routeRules[${i}].ingressGatewayHost.name: '${host.name}' is not a host of` +
                  ` ${describe('IngressGateway', gatewayName)} (hosts: ${hostNames.join(', ')})`,
                ['routeRules', i, 'ingressGatewayHost', 'name'],
              );
            }
          });
        }
        this.forEachDestination(draft, (path) => {
          const idPath = [...path, 'virtualServiceId'];
          const vs = this.link(draft, 'VirtualService', idPath);
          if (vs && ig && !sameScope(vs.mesh, ig.mesh)) {
            draft.fail(
              `${formatPath(idPath)}: ${describe('VirtualService', nameOf(vs))}` +
                ` is in another mesh than ${describe('IngressGateway', gatewayName)}`,
              idPath,
            );
          }
        });
        return;
      }
      case 'AccessPolicy': {
        const mesh = this.link(draft, 'Mesh', ['meshId']);
        draft.parent = mesh?.self;
        if (!Array.isArray(body.rules)) return;
        body.rules.forEach((rule: unknown, i) => {
          if (!isRecord(rule)) return;
          for (const side of ['source', 'destination'] as const) {
            const target = rule[side];
            if (!isRecord(target)) continue;
            const ref =
              target.type === 'VIRTUAL_SERVICE'
                ? (['VirtualService', 'virtualServiceId'] as const)
                : target.type === 'INGRESS_GATEWAY'
                  ? (['IngressGateway', 'ingressGatewayId'] as const)
                  : undefined;
            if (!ref) continue;
            const idPath = ['rules', i, side, ref[1]];
            const resolved = this.link(draft, ref[0], idPath);
            if (resolved && mesh && !sameScope(resolved.mesh, mesh.self)) {
              draft.fail(
                `${formatPath(idPath)}: ${describe(ref[0], nameOf(resolved))}` +
                  ' is in another mesh than this access policy',
                idPath,
              );
            }
          }
        });
        return;
      }
    }
  }

  /** Drops the read-only certificateId and applies the `declared` extension (see above). */
  private mapVirtualServiceMtls(draft: Draft, mesh: Resolved | undefined): void {
    const { body } = draft;
    if (!isRecord(body.mtls)) return;
    const { certificateId: _certificateId, declared, ...mtls } = body.mtls;
    if (declared === false) delete mtls.mode;
    else if (declared !== undefined && declared !== true) {
      draft.fail('mtls.declared must be true or false', ['mtls', 'declared']);
    }
    if (Object.keys(mtls).length > 0) body.mtls = mtls;
    else delete body.mtls;
    if (isMode(mtls.mode) && mesh?.meshMinimum) {
      for (const finding of checkDeclaredMode(mtls.mode, mesh.meshMinimum)) {
        draft.fail(`mtls.mode: ${finding.message} (${finding.code})`, ['mtls', 'mode']);
      }
    }
  }

  private forEachDestination(draft: Draft, visit: (path: BodyPath) => void): void {
    const rules = draft.body.routeRules;
    if (!Array.isArray(rules)) return;
    rules.forEach((rule: unknown, i) => {
      if (!isRecord(rule) || !Array.isArray(rule.destinations)) return;
      rule.destinations.forEach((d: unknown, j) => {
        if (isRecord(d)) visit(['routeRules', i, 'destinations', j]);
      });
    });
  }
}

function valueAt(body: Json, path: BodyPath): unknown {
  let node: unknown = body;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}
