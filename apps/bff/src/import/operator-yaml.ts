import {
  checkDeclaredMode,
  DEFAULT_MESH_MINIMUM,
  MTLS_MODES,
  type MtlsMode,
} from '@meshdeck/domain';
import { parseAllDocuments, type YAMLError } from 'yaml';
import {
  RESOURCE_KINDS,
  type BodyPath,
  type ExistingResource,
  type ImportPlan,
  type PlanImportOptions,
  type ReferenceKind,
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
  type Scope,
} from './plan-builder.ts';

/*
 * OCI Service Operator custom resources (servicemesh.oci.oracle.com/v1beta1) → OCI create
 * bodies, following the mapping table of the operator's CRDs: `spec` is the create body except
 * for references (`{ref: {name, namespace?}}` or `{id}`), the singular `listener` key, route
 * rules keyed by protocol, and certificate/target variants keyed by kind instead of `type`.
 */

export const OPERATOR_API_GROUP = 'servicemesh.oci.oracle.com';
export const OPERATOR_API_VERSION = `${OPERATOR_API_GROUP}/v1beta1`;

/** Operator kinds that only exist on the Kubernetes side. */
const KUBERNETES_ONLY: Record<string, string> = {
  VirtualDeploymentBinding: 'binds Kubernetes pods to a virtual deployment',
  IngressGatewayDeployment: 'runs the ingress gateway pods in Kubernetes',
};

type RefKind = ReferenceKind;

const PLURAL: Record<RefKind, string> = {
  Mesh: 'meshes',
  VirtualService: 'virtual services',
  VirtualDeployment: 'virtual deployments',
  IngressGateway: 'ingress gateways',
};

interface OperatorDoc {
  index: number;
  kind: ResourceKind;
  /** '' when metadata.namespace is not given. */
  namespace: string;
  metadataName: string;
  spec: Json;
  /** spec.name (Mesh: spec.displayName), else metadata.name; may be of a wrong type. */
  ociName: unknown;
  entity?: Entity;
}

const ROUTE_TYPES = [
  ['httpRoute', 'HTTP'],
  ['tcpRoute', 'TCP'],
  ['tlsPassthroughRoute', 'TLS_PASSTHROUGH'],
] as const;

const CERTIFICATE_TYPES = {
  ociTlsCertificate: 'OCI_CERTIFICATES',
  kubeSecretTlsCertificate: 'LOCAL_FILE',
};
const CA_BUNDLE_TYPES = { ociCaBundle: 'OCI_CERTIFICATES', kubeSecretCaBundle: 'LOCAL_FILE' };
const EXTERNAL_PROTOCOLS = {
  httpExternalService: 'HTTP',
  httpsExternalService: 'HTTPS',
  tcpExternalService: 'TCP',
};
const TARGET_KEYS = ['allVirtualServices', 'virtualService', 'ingressGateway', 'externalService'];

/** Plans a multi-document operator YAML file. */
export function planOperatorYaml(text: string, options: PlanImportOptions): ImportPlan {
  const builder = new PlanBuilder('operator-yaml', options);
  const documents = parseAllDocuments(text);
  const syntaxErrors = documents.flatMap((d) => d.errors.slice(0, 1)).map(formatYamlError);
  if (syntaxErrors.length > 0) {
    builder.reject({ kind: 'File', name: '', reasons: syntaxErrors });
    return builder.build();
  }

  const docs: OperatorDoc[] = [];
  let nonEmpty = 0;
  documents.forEach((document, index) => {
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      builder.reject({ kind: 'Document', name: '', documentIndex: index, reasons: [message] });
      nonEmpty++;
      return;
    }
    if (value === null || value === undefined) return;
    nonEmpty++;
    const doc = classify(value, index, builder);
    if (doc) docs.push(doc);
  });
  if (nonEmpty === 0) {
    builder.reject({ kind: 'File', name: '', reasons: ['the file holds no documents'] });
    return builder.build();
  }

  const planner = new OperatorPlanner(builder, docs);
  planner.run();
  return builder.build();
}

function formatYamlError(error: YAMLError): string {
  const firstLine = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  const pos = error.linePos?.[0];
  return pos
    ? `YAML syntax error at line ${pos.line}, column ${pos.col}: ${firstLine}`
    : `YAML syntax error: ${firstLine}`;
}

/** Sorts a parsed document into skipped, rejected or an OCI resource to map. */
function classify(value: unknown, index: number, builder: PlanBuilder): OperatorDoc | undefined {
  if (!isRecord(value)) {
    builder.reject({
      kind: 'Document',
      name: '',
      documentIndex: index,
      reasons: ['not a Kubernetes resource: expected a mapping with apiVersion and kind'],
    });
    return undefined;
  }
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const metadataName = typeof metadata.name === 'string' ? metadata.name : '';
  const { kind, apiVersion } = value;
  const reject = (kindLabel: string, reason: string) => {
    builder.reject({
      kind: kindLabel,
      name: metadataName,
      documentIndex: index,
      reasons: [reason],
    });
    return undefined;
  };
  if (typeof kind !== 'string' || kind === '') {
    return reject('Document', 'not a Kubernetes resource: no kind');
  }
  const group = typeof apiVersion === 'string' ? apiVersion.split('/')[0] : undefined;
  const isMeshKind = (RESOURCE_KINDS as readonly string[]).includes(kind);
  if (group !== OPERATOR_API_GROUP) {
    if (apiVersion === undefined && isMeshKind) {
      return reject(kind, `apiVersion is missing: expected ${OPERATOR_API_VERSION}`);
    }
    builder.skip({
      kind,
      name: metadataName,
      documentIndex: index,
      reason: `not an OCI Service Mesh resource (${String(apiVersion ?? 'no apiVersion')}): Kubernetes only, not imported`,
    });
    return undefined;
  }
  const kubernetesOnly = KUBERNETES_ONLY[kind];
  if (kubernetesOnly) {
    builder.skip({
      kind,
      name: metadataName,
      documentIndex: index,
      reason: `Kubernetes-side only (${kubernetesOnly}): no OCI API counterpart`,
    });
    return undefined;
  }
  if (!isMeshKind) return reject(kind, `unknown kind ${kind} in ${OPERATOR_API_GROUP}`);
  if (apiVersion !== OPERATOR_API_VERSION) {
    return reject(
      kind,
      `apiVersion ${String(apiVersion)} is not supported: expected ${OPERATOR_API_VERSION}`,
    );
  }
  if (metadataName === '') return reject(kind, 'metadata.name is missing');
  if (!isRecord(value.spec)) return reject(kind, 'spec is missing');
  const spec = builder.substitute(value.spec) as Json;
  const resourceKind = kind as ResourceKind;
  return {
    index,
    kind: resourceKind,
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : '',
    metadataName,
    spec,
    ociName: (resourceKind === 'Mesh' ? spec.displayName : spec.name) ?? metadataName,
  };
}

/** Drops keys whose value is undefined, so bodies only hold what the file said. */
function compact(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

class OperatorPlanner {
  constructor(
    private readonly builder: PlanBuilder,
    private readonly docs: OperatorDoc[],
  ) {}

  run(): void {
    this.registerEntities();
    for (const kind of RESOURCE_KINDS) {
      for (const doc of this.docs) {
        if (doc.kind !== kind || !doc.entity) continue;
        const draft = new Draft(doc.entity);
        this.map(doc, draft);
        this.builder.finish(draft);
      }
    }
  }

  /** Keys are `Kind/metadata.name`, namespaced only when the file needs it to tell them apart. */
  private registerEntities(): void {
    const groups = new Map<string, OperatorDoc[]>();
    for (const doc of this.docs) {
      const group = `${doc.kind}/${doc.metadataName}`;
      groups.set(group, [...(groups.get(group) ?? []), doc]);
    }
    const taken = new Map<string, OperatorDoc>();
    for (const [group, docs] of groups) {
      for (const doc of docs) {
        const key =
          docs.length > 1 ? `${doc.kind}/${doc.namespace || '-'}/${doc.metadataName}` : `${group}`;
        const first = taken.get(key);
        if (first) {
          this.builder.reject({
            kind: doc.kind,
            name: doc.metadataName,
            documentIndex: doc.index,
            reasons: [
              `duplicate: ${describe(doc.kind, doc.metadataName)} is already defined earlier in this file (documentIndex ${first.index})`,
            ],
          });
          continue;
        }
        taken.set(key, doc);
        doc.entity = {
          kind: doc.kind,
          key,
          name: typeof doc.ociName === 'string' ? doc.ociName : doc.metadataName,
          documentIndex: doc.index,
          sourceName: doc.metadataName,
          ...(doc.namespace ? { sourceNamespace: doc.namespace } : {}),
        };
      }
    }
  }

  /** The document a reference names: same namespace, or the only one when either omits it. */
  private lookup(kind: RefKind, namespace: string, name: string): Entity | undefined {
    const candidates = this.docs.filter(
      (d) => d.kind === kind && d.metadataName === name && d.entity,
    );
    const exact = candidates.filter((d) => d.namespace === namespace);
    if (exact.length === 1) return exact[0]?.entity;
    const loose = candidates.filter((d) => d.namespace === '' || namespace === '');
    return loose.length === 1 ? loose[0]?.entity : undefined;
  }

  private resolve(
    draft: Draft,
    doc: OperatorDoc,
    kind: RefKind,
    raw: unknown,
    at: string,
    bodyPath: BodyPath,
    within?: Scope,
  ): Resolved | undefined {
    if (raw === undefined) {
      draft.fail(`${at} is missing`, bodyPath);
      return undefined;
    }
    if (!isRecord(raw) || (raw.ref === undefined) === (raw.id === undefined)) {
      draft.fail(`${at}: give either ref.name or id`, bodyPath);
      return undefined;
    }
    if (raw.id !== undefined) {
      if (typeof raw.id !== 'string' || raw.id === '') {
        draft.fail(`${at}.id: expected an OCID`, bodyPath);
        return undefined;
      }
      const known = this.builder.findExistingById(kind, raw.id);
      if (known) {
        draft.noteResolution(at, { id: raw.id }, known);
        return known;
      }
      // Not in Meshdeck: kept as given (the create names it when it does not exist).
      return {
        value: raw.id,
        self: { id: raw.id },
        ...(kind === 'Mesh' ? { mesh: { id: raw.id } } : {}),
      };
    }
    const ref = raw.ref;
    if (!isRecord(ref) || typeof ref.name !== 'string' || ref.name === '') {
      draft.fail(`${at}.ref.name is missing`, bodyPath);
      return undefined;
    }
    const namespace = typeof ref.namespace === 'string' ? ref.namespace : doc.namespace;
    const entity = this.lookup(kind, namespace, ref.name);
    if (entity) return resolvedFromEntity(entity);
    const named = `${describe(kind, ref.name)}${namespace ? ` (namespace ${namespace})` : ''}`;
    const lookup = this.builder.findExisting(kind, { name: ref.name, namespace }, within);
    if ('found' in lookup) {
      draft.noteResolution(at, { name: ref.name, namespace }, lookup.found);
      return lookup.found;
    }
    if ('ambiguous' in lookup) {
      const { ambiguous: candidates, via } = lookup;
      const what =
        via === 'import-source'
          ? `earlier imports created ${candidates.length} ${PLURAL[kind]} from it`
          : `no earlier import created it, and ${candidates.length} live ${PLURAL[kind]}` +
            ` are named '${ref.name}'`;
      const list = candidates.map((c) => describeExisting(kind, c)).join(', ');
      draft.fail(
        `${at}.ref: ${named} is ambiguous: ${what}: ${list}` +
          `; replace ${at}.ref by ${at}.id with the OCID of the one to use` +
          (via === 'import-source'
            ? ' (or delete the ones not wanted)'
            : kind === 'Mesh'
              ? ''
              : ', or define it in this file'),
        bodyPath,
      );
      return undefined;
    }
    const others = lookup.otherSources;
    draft.fail(
      `${at}.ref: ${describe(kind, ref.name)} is not defined in this file` +
        `${namespace ? ` (namespace ${namespace})` : ''} or in Meshdeck` +
        (others.length > 0
          ? `; not bound by OCI name to ${others.map((o) => describeExisting(kind, o)).join(', ')}:` +
            ` an earlier import created ${others.length === 1 ? 'it' : 'them'} from another` +
            ` Kubernetes resource (to use ${others.length === 1 ? 'it' : 'one'}, give that` +
            ` resource's ref.name and ref.namespace, or the id)`
          : ''),
      bodyPath,
    );
    return undefined;
  }

  /** `[key, value]` of the one variant given, e.g. `ociTlsCertificate`. */
  private oneOf(
    draft: Draft,
    value: unknown,
    at: string,
    path: BodyPath,
    variants: readonly string[],
  ): [string, unknown] | undefined {
    const keys = isRecord(value) ? Object.keys(value) : [];
    const key = keys[0];
    if (!isRecord(value) || keys.length !== 1 || key === undefined || !variants.includes(key)) {
      draft.fail(`${at}: give exactly one of ${variants.join(', ')}`, path);
      return undefined;
    }
    return [key, value[key]];
  }

  private map(doc: OperatorDoc, draft: Draft): void {
    switch (doc.kind) {
      case 'Mesh':
        return this.mapMesh(doc, draft);
      case 'VirtualService':
        return this.mapVirtualService(doc, draft);
      case 'VirtualDeployment':
        return this.mapVirtualDeployment(doc, draft);
      case 'VirtualServiceRouteTable':
        return this.mapVirtualServiceRouteTable(doc, draft);
      case 'IngressGateway':
        return this.mapIngressGateway(doc, draft);
      case 'IngressGatewayRouteTable':
        return this.mapIngressGatewayRouteTable(doc, draft);
      case 'AccessPolicy':
        return this.mapAccessPolicy(doc, draft);
    }
  }

  private mapMesh(doc: OperatorDoc, draft: Draft): void {
    const { displayName: _displayName, ...rest } = doc.spec;
    draft.body = compact({ compartmentId: rest.compartmentId, displayName: doc.ociName, ...rest });
    const minimum = isRecord(rest.mtls) ? rest.mtls.minimum : undefined;
    draft.entity.meshMinimum = isMode(minimum) ? minimum : DEFAULT_MESH_MINIMUM;
    draft.entity.mesh = { key: draft.entity.key };
  }

  private mapVirtualService(doc: OperatorDoc, draft: Draft): void {
    const { mesh, name: _name, ...rest } = doc.spec;
    const meshRes = this.resolve(draft, doc, 'Mesh', mesh, 'spec.mesh', ['meshId']);
    draft.body = compact({
      compartmentId: rest.compartmentId,
      meshId: draft.link(['meshId'], meshRes),
      name: doc.ociName,
      ...rest,
    });
    draft.entity.mesh = meshRes?.self;
    draft.parent = meshRes?.self;
    const mode = isRecord(rest.mtls) ? rest.mtls.mode : undefined;
    if (isMode(mode) && meshRes?.meshMinimum) {
      for (const finding of checkDeclaredMode(mode, meshRes.meshMinimum)) {
        draft.fail(`spec.mtls.mode: ${finding.message} (${finding.code})`, ['mtls', 'mode']);
      }
    }
  }

  private mapVirtualDeployment(doc: OperatorDoc, draft: Draft): void {
    const { virtualService, name: _name, listener, listeners, ...rest } = doc.spec;
    const vsRes = this.resolve(
      draft,
      doc,
      'VirtualService',
      virtualService,
      'spec.virtualService',
      ['virtualServiceId'],
    );
    if (listener !== undefined && listeners !== undefined) {
      draft.fail('spec: give listener or listeners, not both', ['listeners']);
    }
    draft.body = compact({
      compartmentId: rest.compartmentId,
      virtualServiceId: draft.link(['virtualServiceId'], vsRes),
      name: doc.ociName,
      ...rest,
      listeners: listener ?? listeners,
    });
    draft.entity.vs = vsRes?.self;
    draft.entity.mesh = vsRes?.mesh;
    draft.parent = vsRes?.self;
  }

  private mapVirtualServiceRouteTable(doc: OperatorDoc, draft: Draft): void {
    const { virtualService, name: _name, routeRules, ...rest } = doc.spec;
    const vsRes = this.resolve(
      draft,
      doc,
      'VirtualService',
      virtualService,
      'spec.virtualService',
      ['virtualServiceId'],
    );
    const mapDestination = (d: unknown, at: string, path: BodyPath): unknown => {
      if (!isRecord(d)) {
        draft.fail(`${at}: expected a mapping`, path);
        return d;
      }
      const { virtualDeployment, ...fields } = d;
      const idPath = [...path, 'virtualDeploymentId'];
      const res = this.resolve(
        draft,
        doc,
        'VirtualDeployment',
        virtualDeployment,
        `${at}.virtualDeployment`,
        idPath,
        vsRes?.self,
      );
      if (res && vsRes && !sameScope(res.vs, vsRes.self)) {
        draft.fail(
          `${at}.virtualDeployment: ${describe('VirtualDeployment', nameOf(res))}` +
            ` belongs to another virtual service than ${describe('VirtualService', nameOf(vsRes))}`,
          idPath,
        );
      }
      return {
        type: 'VIRTUAL_DEPLOYMENT',
        virtualDeploymentId: draft.link(idPath, res),
        ...fields,
      };
    };
    draft.body = compact({
      compartmentId: rest.compartmentId,
      virtualServiceId: draft.link(['virtualServiceId'], vsRes),
      name: doc.ociName,
      ...rest,
      routeRules: this.mapRouteRules(draft, routeRules, mapDestination),
    });
    draft.parent = vsRes?.self;
  }

  private mapIngressGateway(doc: OperatorDoc, draft: Draft): void {
    const { mesh, name: _name, hosts, ...rest } = doc.spec;
    const meshRes = this.resolve(draft, doc, 'Mesh', mesh, 'spec.mesh', ['meshId']);
    const mappedHosts = Array.isArray(hosts)
      ? hosts.map((host: unknown, h) => {
          if (!isRecord(host) || !Array.isArray(host.listeners)) return host;
          return {
            ...host,
            listeners: host.listeners.map((listener: unknown, l) =>
              isRecord(listener) && listener.tls !== undefined
                ? {
                    ...listener,
                    tls: this.mapListenerTls(
                      draft,
                      listener.tls,
                      `spec.hosts[${h}].listeners[${l}].tls`,
                      ['hosts', h, 'listeners', l, 'tls'],
                    ),
                  }
                : listener,
            ),
          };
        })
      : hosts;
    draft.body = compact({
      compartmentId: rest.compartmentId,
      meshId: draft.link(['meshId'], meshRes),
      name: doc.ociName,
      ...rest,
      hosts: mappedHosts,
    });
    draft.entity.mesh = meshRes?.self;
    draft.entity.hostNames = Array.isArray(hosts)
      ? hosts.flatMap((h: unknown) => (isRecord(h) && typeof h.name === 'string' ? [h.name] : []))
      : [];
    draft.parent = meshRes?.self;
  }

  private mapListenerTls(draft: Draft, tls: unknown, at: string, path: BodyPath): unknown {
    if (!isRecord(tls)) return tls;
    const { serverCertificate, clientValidation, ...rest } = tls;
    const variant = (
      value: unknown,
      where: string,
      wherePath: BodyPath,
      types: Record<string, string>,
    ): unknown => {
      const picked = this.oneOf(draft, value, where, wherePath, Object.keys(types));
      if (!picked) return value;
      const [key, inner] = picked;
      if (!isRecord(inner)) {
        draft.fail(`${where}.${key}: expected a mapping`, wherePath);
        return value;
      }
      return { type: types[key], ...inner };
    };
    let mappedValidation = clientValidation;
    if (isRecord(clientValidation)) {
      const { trustedCaBundle, ...fields } = clientValidation;
      mappedValidation = compact({
        ...fields,
        trustedCaBundle:
          trustedCaBundle === undefined
            ? undefined
            : variant(
                trustedCaBundle,
                `${at}.clientValidation.trustedCaBundle`,
                [...path, 'clientValidation', 'trustedCaBundle'],
                CA_BUNDLE_TYPES,
              ),
      });
    }
    return compact({
      mode: rest.mode,
      ...rest,
      serverCertificate:
        serverCertificate === undefined
          ? undefined
          : variant(
              serverCertificate,
              `${at}.serverCertificate`,
              [...path, 'serverCertificate'],
              CERTIFICATE_TYPES,
            ),
      clientValidation: mappedValidation,
    });
  }

  private mapIngressGatewayRouteTable(doc: OperatorDoc, draft: Draft): void {
    const { ingressGateway, name: _name, routeRules, ...rest } = doc.spec;
    const igRes = this.resolve(
      draft,
      doc,
      'IngressGateway',
      ingressGateway,
      'spec.ingressGateway',
      ['ingressGatewayId'],
    );
    const gatewayName = igRes ? nameOf(igRes) : '';
    const mapDestination = (d: unknown, at: string, path: BodyPath): unknown => {
      if (!isRecord(d)) {
        draft.fail(`${at}: expected a mapping`, path);
        return d;
      }
      const { virtualService, ...fields } = d;
      const idPath = [...path, 'virtualServiceId'];
      const res = this.resolve(
        draft,
        doc,
        'VirtualService',
        virtualService,
        `${at}.virtualService`,
        idPath,
        igRes?.mesh,
      );
      if (res && igRes && !sameScope(res.mesh, igRes.mesh)) {
        draft.fail(
          `${at}.virtualService: ${describe('VirtualService', nameOf(res))}` +
            ` is in another mesh than ${describe('IngressGateway', gatewayName)}`,
          idPath,
        );
      }
      return { type: 'VIRTUAL_SERVICE', virtualServiceId: draft.link(idPath, res), ...fields };
    };
    const checkHost = (inner: Json, at: string, path: BodyPath) => {
      const hostNames = igRes?.entity?.hostNames ?? igRes?.hostNames;
      const host = inner.ingressGatewayHost;
      if (!hostNames || !isRecord(host) || typeof host.name !== 'string') return;
      if (!hostNames.includes(host.name)) {
        draft.fail(
          `${at}.ingressGatewayHost.name: '${host.name}' is not a host of` +
            ` ${describe('IngressGateway', gatewayName)} (hosts: ${hostNames.join(', ')})`,
          [...path, 'ingressGatewayHost', 'name'],
        );
      }
    };
    draft.body = compact({
      compartmentId: rest.compartmentId,
      ingressGatewayId: draft.link(['ingressGatewayId'], igRes),
      name: doc.ociName,
      ...rest,
      routeRules: this.mapRouteRules(draft, routeRules, mapDestination, checkHost),
    });
    draft.parent = igRes?.self;
  }

  /** `{httpRoute: {...}}` → `{type: 'HTTP', ...}`, destinations mapped by the caller. */
  private mapRouteRules(
    draft: Draft,
    rules: unknown,
    mapDestination: (d: unknown, at: string, path: BodyPath) => unknown,
    checkRule?: (inner: Json, at: string, path: BodyPath) => void,
  ): unknown {
    if (!Array.isArray(rules)) return rules;
    return rules.map((rule: unknown, i) => {
      const at = `spec.routeRules[${i}]`;
      const path = ['routeRules', i];
      const picked = this.oneOf(
        draft,
        rule,
        at,
        path,
        ROUTE_TYPES.map(([key]) => key),
      );
      if (!picked) return rule;
      const [routeKey, inner] = picked;
      const type = ROUTE_TYPES.find(([key]) => key === routeKey)?.[1];
      const innerAt = `${at}.${routeKey}`;
      if (!isRecord(inner)) {
        draft.fail(`${innerAt}: expected a mapping`, path);
        return rule;
      }
      checkRule?.(inner, innerAt, path);
      const { destinations, ...fields } = inner;
      return {
        type,
        ...fields,
        destinations: Array.isArray(destinations)
          ? destinations.map((d: unknown, j) =>
              mapDestination(d, `${innerAt}.destinations[${j}]`, [...path, 'destinations', j]),
            )
          : destinations,
      };
    });
  }

  private mapAccessPolicy(doc: OperatorDoc, draft: Draft): void {
    const { mesh, name: _name, rules, ...rest } = doc.spec;
    const meshRes = this.resolve(draft, doc, 'Mesh', mesh, 'spec.mesh', ['meshId']);
    const meshId = draft.link(['meshId'], meshRes);
    const mapTarget = (value: unknown, at: string, path: BodyPath): unknown => {
      const picked = this.oneOf(draft, value, at, path, TARGET_KEYS);
      if (!picked) return value;
      const [key, inner] = picked;
      switch (key) {
        case 'allVirtualServices':
          return { type: 'ALL_VIRTUAL_SERVICES' };
        case 'virtualService':
        case 'ingressGateway': {
          const kind = key === 'virtualService' ? 'VirtualService' : 'IngressGateway';
          const idField = key === 'virtualService' ? 'virtualServiceId' : 'ingressGatewayId';
          const idPath = [...path, idField];
          const res = this.resolve(draft, doc, kind, inner, `${at}.${key}`, idPath, meshRes?.self);
          if (res && meshRes && !sameScope(res.mesh, meshRes.self)) {
            draft.fail(
              `${at}.${key}: ${describe(kind, nameOf(res))} is in another mesh` +
                ` than this access policy`,
              idPath,
            );
          }
          return {
            type: kind === 'VirtualService' ? 'VIRTUAL_SERVICE' : 'INGRESS_GATEWAY',
            [idField]: draft.link(idPath, res),
          };
        }
        default: {
          const where = `${at}.externalService`;
          const external = this.oneOf(draft, inner, where, path, Object.keys(EXTERNAL_PROTOCOLS));
          if (!external) return value;
          const [protocolKey, service] = external;
          if (!isRecord(service)) {
            draft.fail(`${where}.${protocolKey}: expected a mapping`, path);
            return value;
          }
          return {
            type: 'EXTERNAL_SERVICE',
            protocol: EXTERNAL_PROTOCOLS[protocolKey as keyof typeof EXTERNAL_PROTOCOLS],
            ...service,
          };
        }
      }
    };
    const mappedRules = Array.isArray(rules)
      ? rules.map((rule: unknown, i) => {
          const at = `spec.rules[${i}]`;
          if (!isRecord(rule)) return rule;
          return compact({
            ...rule,
            source:
              rule.source === undefined
                ? undefined
                : mapTarget(rule.source, `${at}.source`, ['rules', i, 'source']),
            destination:
              rule.destination === undefined
                ? undefined
                : mapTarget(rule.destination, `${at}.destination`, ['rules', i, 'destination']),
          });
        })
      : rules;
    draft.body = compact({
      compartmentId: rest.compartmentId,
      meshId,
      name: doc.ociName,
      ...rest,
      rules: mappedRules,
    });
    draft.parent = meshRes?.self;
  }
}

/**
 * For messages: `'cart' in mesh 'shop' (ocid…, imported from shop/cart-svc)`; a mesh, whose
 * displayName need not be unique, with its compartment.
 */
function describeExisting(kind: RefKind, r: ExistingResource): string {
  const where = kind !== 'Mesh' && r.meshName !== undefined ? ` in mesh '${r.meshName}'` : '';
  const notes = [
    r.id,
    ...(kind === 'Mesh' && r.compartmentId !== undefined ? [`compartment ${r.compartmentId}`] : []),
    ...(r.source
      ? [`imported from ${r.source.namespace ? `${r.source.namespace}/` : ''}${r.source.name}`]
      : []),
  ];
  return `'${r.name ?? r.id}'${where} (${notes.join(', ')})`;
}

function isMode(value: unknown): value is MtlsMode {
  return typeof value === 'string' && (MTLS_MODES as readonly string[]).includes(value);
}
