import { stringify } from 'yaml';
import type { AccessPolicyTarget } from '@meshdeck/domain';
import type { MeshRecords } from '../console-api/views.ts';
import { MANAGED_CA, OCI_JSON_FORMAT } from '../import/import-plan.ts';
import { OPERATOR_API_VERSION } from '../import/operator-yaml.ts';
import { definitions } from '../resources/definitions.ts';
import type { PresentContext } from '../resources/resource-kind.ts';

/*
 * A mesh and everything in it, written in the two formats POST /api/import reads (docs/import.md),
 * so that an export imported into another Meshdeck gives the same resources and the same graph.
 */

export const EXPORT_FORMATS = ['oci-json', 'operator-yaml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Json = Record<string, unknown>;

function meshContext(records: MeshRecords): PresentContext {
  return { meshMinimum: () => records.mesh.mtls.minimum };
}

/** The mesh's CA as an export writes it: MANAGED_CA unless the CA is someone else's. */
function exportedCaId(records: MeshRecords): string {
  const id = records.mesh.certificateAuthorities[0]?.id ?? MANAGED_CA;
  return records.mesh.caExternal ? id : MANAGED_CA;
}

const byName = <T extends { name: string; id: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

/** Children sorted by their parent's name, then their own: the file reads like the mesh. */
function byParent<T extends { name: string; id: string }>(
  items: T[],
  parentId: (item: T) => string,
  parents: { id: string; name: string }[],
): T[] {
  const parentName = new Map(parents.map((p) => [p.id, p.name]));
  const key = (item: T) => parentName.get(parentId(item)) ?? '';
  return byName(items).sort((a, b) => key(a).localeCompare(key(b)));
}

const deploymentsOf = (r: MeshRecords) =>
  byParent(r.virtualDeployments, (d) => d.virtualServiceId, r.virtualServices);
const routeTablesOf = (r: MeshRecords) =>
  byParent(r.virtualServiceRouteTables, (t) => t.virtualServiceId, r.virtualServices);
const gatewayRouteTablesOf = (r: MeshRecords) =>
  byParent(r.ingressGatewayRouteTables, (t) => t.ingressGatewayId, r.ingressGateways);

/** OCI read models, as `GET /20220615/...` answers them, in the `meshdeck/oci-json@1` envelope. */
export function exportOciJson(records: MeshRecords, exportedAt: string): Json {
  const ctx = meshContext(records);
  const present = <K extends keyof typeof definitions>(kind: K, record: unknown): Json =>
    definitions[kind].present(record, ctx) as Json;
  const mesh = present('Mesh', records.mesh);
  mesh.certificateAuthorities = [{ id: exportedCaId(records) }];
  return {
    format: OCI_JSON_FORMAT,
    exportedAt,
    meshes: [mesh],
    virtualServices: byName(records.virtualServices).map((vs) => {
      const read = present('VirtualService', vs);
      // The read shows the effective mode; `declared: false` keeps an inheriting service inheriting.
      read.mtls = { ...(read.mtls as Json), declared: vs.declaredMode !== null };
      return read;
    }),
    virtualDeployments: deploymentsOf(records).map((r) => present('VirtualDeployment', r)),
    virtualServiceRouteTables: routeTablesOf(records).map((r) =>
      present('VirtualServiceRouteTable', r),
    ),
    ingressGateways: byName(records.ingressGateways).map((r) => present('IngressGateway', r)),
    ingressGatewayRouteTables: gatewayRouteTablesOf(records).map((r) =>
      present('IngressGatewayRouteTable', r),
    ),
    accessPolicies: byName(records.accessPolicies).map((r) => present('AccessPolicy', r)),
  };
}

/** A Kubernetes name (RFC 1123 label) for `text`, unique among `taken`. */
function kubernetesName(text: string, taken: Set<string>): string {
  const base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 50) || 'resource';
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

/** Drops undefined values so the YAML holds only what the resource has. */
function compact(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

const tags = (r: { freeformTags?: unknown; definedTags?: unknown }): Json =>
  compact({ freeformTags: r.freeformTags, definedTags: r.definedTags });

const ROUTE_KEYS: Record<string, string> = {
  HTTP: 'httpRoute',
  TCP: 'tcpRoute',
  TLS_PASSTHROUGH: 'tlsPassthroughRoute',
};

const EXTERNAL_KEYS: Record<string, string> = {
  HTTP: 'httpExternalService',
  HTTPS: 'httpsExternalService',
  TCP: 'tcpExternalService',
};

export interface OperatorYamlExport {
  yaml: string;
  /** What the operator's CRDs cannot say exactly, as written in the file's header. */
  notes: string[];
}

/**
 * Operator custom resources (servicemesh.oci.oracle.com/v1beta1), one document per resource,
 * parents first, references by `metadata.name`. OCI names go in `spec.name` (`spec.displayName`
 * for the mesh); `metadata.name` is a Kubernetes name made from the parent and the OCI name, so
 * that two deployments called `v1` of different services do not collide.
 */
export function exportOperatorYaml(records: MeshRecords): OperatorYamlExport {
  const notes: string[] = [];
  const taken = new Map<string, Set<string>>();
  const names = new Map<string, string>();
  const nameFor = (kind: string, id: string, text: string): string => {
    const set = taken.get(kind) ?? new Set<string>();
    taken.set(kind, set);
    const name = kubernetesName(text, set);
    names.set(id, name);
    return name;
  };
  const ref = (id: string) => ({ ref: { name: names.get(id) ?? id } });
  const doc = (kind: string, name: string, spec: Json) => ({
    apiVersion: OPERATOR_API_VERSION,
    kind,
    metadata: { name },
    spec: compact(spec),
  });

  const { mesh } = records;
  const vsName = new Map(records.virtualServices.map((v) => [v.id, v.name]));
  const igName = new Map(records.ingressGateways.map((g) => [g.id, g.name]));
  const docs: Json[] = [];

  docs.push(
    doc('Mesh', nameFor('Mesh', mesh.id, mesh.displayName), {
      compartmentId: mesh.compartmentId,
      displayName: mesh.displayName,
      description: mesh.description,
      certificateAuthorities: [{ id: exportedCaId(records) }],
      mtls: { minimum: mesh.mtls.minimum },
      ...tags(mesh),
    }),
  );
  for (const vs of byName(records.virtualServices)) {
    docs.push(
      doc('VirtualService', nameFor('VirtualService', vs.id, vs.name), {
        compartmentId: vs.compartmentId,
        name: vs.name,
        mesh: ref(vs.meshId),
        description: vs.description,
        defaultRoutingPolicy: vs.defaultRoutingPolicy,
        hosts: vs.hosts,
        // No mode: the service inherits the mesh minimum (and keeps doing so after import).
        mtls: compact({ mode: vs.declaredMode ?? undefined, maximumValidity: vs.maximumValidity }),
        ...tags(vs),
      }),
    );
  }
  for (const vd of deploymentsOf(records)) {
    const parent = vsName.get(vd.virtualServiceId) ?? '';
    docs.push(
      doc('VirtualDeployment', nameFor('VirtualDeployment', vd.id, `${parent}-${vd.name}`), {
        compartmentId: vd.compartmentId,
        name: vd.name,
        virtualService: ref(vd.virtualServiceId),
        description: vd.description,
        serviceDiscovery: vd.serviceDiscovery,
        listener: vd.listeners,
        accessLogging: vd.accessLogging,
        ...tags(vd),
      }),
    );
  }
  for (const rt of routeTablesOf(records)) {
    const parent = vsName.get(rt.virtualServiceId) ?? '';
    docs.push(
      doc(
        'VirtualServiceRouteTable',
        nameFor('VirtualServiceRouteTable', rt.id, `${parent}-${rt.name}`),
        {
          compartmentId: rt.compartmentId,
          name: rt.name,
          virtualService: ref(rt.virtualServiceId),
          description: rt.description,
          priority: rt.priority,
          routeRules: rt.routeRules.map(({ type, destinations, ...fields }) => ({
            [ROUTE_KEYS[type] ?? type]: {
              ...fields,
              destinations: destinations.map(({ type: _type, virtualDeploymentId, ...d }) => ({
                virtualDeployment: ref(virtualDeploymentId),
                ...d,
              })),
            },
          })),
          ...tags(rt),
        },
      ),
    );
  }
  for (const ig of byName(records.ingressGateways)) {
    docs.push(
      doc('IngressGateway', nameFor('IngressGateway', ig.id, ig.name), {
        compartmentId: ig.compartmentId,
        name: ig.name,
        mesh: ref(ig.meshId),
        description: ig.description,
        hosts: ig.hosts.map((host) => ({
          ...host,
          listeners: host.listeners.map((listener) => {
            if (!listener.tls) return listener;
            const { serverCertificate, clientValidation, ...tls } = listener.tls;
            const trusted = clientValidation?.trustedCaBundle;
            return {
              ...listener,
              tls: compact({
                ...tls,
                serverCertificate:
                  serverCertificate === undefined
                    ? undefined
                    : serverCertificate.type === 'OCI_CERTIFICATES'
                      ? { ociTlsCertificate: { certificateId: serverCertificate.certificateId } }
                      : { kubeSecretTlsCertificate: { secretName: serverCertificate.secretName } },
                clientValidation:
                  clientValidation === undefined
                    ? undefined
                    : compact({
                        ...clientValidation,
                        trustedCaBundle:
                          trusted === undefined
                            ? undefined
                            : trusted.type === 'OCI_CERTIFICATES'
                              ? { ociCaBundle: { caBundleId: trusted.caBundleId } }
                              : { kubeSecretCaBundle: { secretName: trusted.secretName } },
                      }),
              }),
            };
          }),
        })),
        accessLogging: ig.accessLogging,
        mtls: ig.mtls?.maximumValidity ? { maximumValidity: ig.mtls.maximumValidity } : undefined,
        ...tags(ig),
      }),
    );
  }
  for (const rt of gatewayRouteTablesOf(records)) {
    const parent = igName.get(rt.ingressGatewayId) ?? '';
    docs.push(
      doc(
        'IngressGatewayRouteTable',
        nameFor('IngressGatewayRouteTable', rt.id, `${parent}-${rt.name}`),
        {
          compartmentId: rt.compartmentId,
          name: rt.name,
          ingressGateway: ref(rt.ingressGatewayId),
          description: rt.description,
          priority: rt.priority,
          routeRules: rt.routeRules.map(({ type, destinations, ...fields }) => ({
            [ROUTE_KEYS[type] ?? type]: {
              ...fields,
              destinations: destinations.map(({ type: _type, virtualServiceId, ...d }) => ({
                virtualService: ref(virtualServiceId),
                ...d,
              })),
            },
          })),
          ...tags(rt),
        },
      ),
    );
  }
  for (const policy of byName(records.accessPolicies)) {
    const target = (t: AccessPolicyTarget, where: string): Json => {
      switch (t.type) {
        case 'ALL_VIRTUAL_SERVICES':
          return { allVirtualServices: {} };
        case 'VIRTUAL_SERVICE':
          return { virtualService: ref(t.virtualServiceId) };
        case 'INGRESS_GATEWAY':
          return { ingressGateway: ref(t.ingressGatewayId) };
        case 'EXTERNAL_SERVICE': {
          const { type: _type, protocol, ...service } = t;
          // The operator names the protocol in the key; OCI may leave it out (any protocol).
          const chosen = protocol ?? (service.hostnames?.length ? 'HTTPS' : 'TCP');
          if (protocol === undefined) {
            notes.push(
              `access policy '${policy.name}' ${where}: an external service without a protocol` +
                ` is written as ${chosen} (the operator needs one)`,
            );
          }
          return { externalService: { [EXTERNAL_KEYS[chosen] ?? chosen]: service } };
        }
      }
    };
    docs.push(
      doc('AccessPolicy', nameFor('AccessPolicy', policy.id, policy.name), {
        compartmentId: policy.compartmentId,
        name: policy.name,
        mesh: ref(policy.meshId ?? mesh.id),
        description: policy.description,
        rules: policy.rules.map((rule, i) => ({
          action: rule.action,
          source: target(rule.source, `rules[${i}].source`),
          destination: target(rule.destination, `rules[${i}].destination`),
        })),
        ...tags(policy),
      }),
    );
  }

  const header = [
    `Meshdeck export of mesh '${mesh.displayName}' as OCI Service Operator resources.`,
    'Import it with POST /api/import (or the console Import page), or apply it with kubectl.',
    ...notes.map((n) => `Note: ${n}`),
  ]
    .map((line) => `# ${line}\n`)
    .join('');
  const body = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return { yaml: header + body, notes };
}
