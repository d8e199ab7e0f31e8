import type { MtlsMode, VirtualServiceRouteRule } from '@meshdeck/domain';
import { createBackend, type Backend } from '../backend.ts';
import type { Clock } from '../clock.ts';
import { inTransaction, type Db } from '../db/open-db.ts';

export const DEMO_COMPARTMENT_ID = 'ocid1.compartment.oc1..meshdeckdemo';
export const DEMO_CA_ID = 'ocid1.certificateauthority.oc1..meshdeckdemo';
export const DEMO_MESH_NAME = 'shop-mesh';

interface DemoService {
  name: string;
  mode?: MtlsMode;
  /** Deployment versions and their route weights. */
  versions: Record<string, number>;
}

/** Our own small shop: two services inherit PERMISSIVE, one declares it, the rest are STRICT. */
const SERVICES: DemoService[] = [
  { name: 'storefront', versions: { v1: 90, v2: 10 } },
  { name: 'cart', mode: 'STRICT', versions: { v1: 100 } },
  { name: 'orders', mode: 'STRICT', versions: { v1: 80, v2: 20 } },
  { name: 'payments', mode: 'STRICT', versions: { v1: 100 } },
  { name: 'catalog', versions: { v1: 50, v2: 50 } },
  { name: 'recommendations', mode: 'PERMISSIVE', versions: { v1: 100 } },
];

/** Who may call whom (default deny covers the rest). */
const CALLS: [string, string][] = [
  ['storefront', 'cart'],
  ['storefront', 'catalog'],
  ['storefront', 'recommendations'],
  ['cart', 'orders'],
  ['orders', 'payments'],
];

/**
 * Seeds the demo mesh into an empty database through the same create services as the API, so
 * every rule applies to it. Returns undefined when the database already holds a mesh.
 */
export function seedDemo(db: Db, clock: Clock): { meshId: string } | undefined {
  const backend = createBackend(db, clock);
  return inTransaction(db, () => {
    if (backend.stores.Mesh.countAll() > 0) return undefined;
    return seed(backend);
  });
}

function seed({ services }: Backend): { meshId: string } {
  const compartmentId = DEMO_COMPARTMENT_ID;

  const mesh = services.Mesh.create({
    compartmentId,
    displayName: DEMO_MESH_NAME,
    description: 'Demo: a small shop behind one ingress gateway',
    certificateAuthorities: [{ id: DEMO_CA_ID }],
    mtls: { minimum: 'PERMISSIVE' },
  }).record;

  const vsIds = new Map<string, string>();
  for (const svc of SERVICES) {
    const vs = services.VirtualService.create({
      compartmentId,
      meshId: mesh.id,
      name: svc.name,
      description: `${svc.name} service`,
      defaultRoutingPolicy: { type: 'UNIFORM' },
      hosts: [`${svc.name}.shop.svc.cluster.local`, `${svc.name}:8080`],
      ...(svc.mode ? { mtls: { mode: svc.mode } } : {}),
    }).record;
    vsIds.set(svc.name, vs.id);

    const destinations: VirtualServiceRouteRule['destinations'] = [];
    for (const [version, weight] of Object.entries(svc.versions)) {
      const vd = services.VirtualDeployment.create({
        compartmentId,
        virtualServiceId: vs.id,
        name: `${svc.name}-${version}`,
        serviceDiscovery: {
          type: 'DNS',
          hostname: `${svc.name}-${version}.shop.svc.cluster.local`,
        },
        listeners: [{ protocol: 'HTTP', port: 8080 }],
        accessLogging: { isEnabled: true },
      }).record;
      destinations.push({ type: 'VIRTUAL_DEPLOYMENT', virtualDeploymentId: vd.id, weight });
    }
    services.VirtualServiceRouteTable.create({
      compartmentId,
      virtualServiceId: vs.id,
      name: `${svc.name}-routes`,
      priority: 1,
      routeRules: [{ type: 'HTTP', path: '/', pathType: 'PREFIX', destinations }],
    });
  }
  const idOf = (name: string) => vsIds.get(name) as string;

  const gateway = services.IngressGateway.create({
    compartmentId,
    meshId: mesh.id,
    name: 'shop-gw',
    description: 'Public entry of the shop',
    hosts: [
      {
        name: 'shop',
        hostnames: ['shop.example.com'],
        listeners: [
          {
            protocol: 'HTTP',
            port: 8443,
            tls: {
              mode: 'TLS',
              serverCertificate: { type: 'LOCAL_FILE', secretName: 'shop-gw-tls' },
            },
          },
          { protocol: 'HTTP', port: 8080, tls: { mode: 'DISABLED' } },
        ],
      },
    ],
    accessLogging: { isEnabled: true },
  }).record;

  const route = (path: string, service: string) => ({
    type: 'HTTP' as const,
    path,
    pathType: 'PREFIX' as const,
    ingressGatewayHost: { name: 'shop' },
    destinations: [{ type: 'VIRTUAL_SERVICE' as const, virtualServiceId: idOf(service) }],
  });
  services.IngressGatewayRouteTable.create({
    compartmentId,
    ingressGatewayId: gateway.id,
    name: 'shop-gw-routes',
    priority: 1,
    routeRules: [
      route('/api', 'orders'),
      route('/', 'storefront'),
      // No policy lets the gateway reach payments: this route shows as a denied edge.
      route('/internal/payments', 'payments'),
    ],
  });

  const vsTarget = (name: string) => ({
    type: 'VIRTUAL_SERVICE' as const,
    virtualServiceId: idOf(name),
  });
  const gatewayTarget = { type: 'INGRESS_GATEWAY' as const, ingressGatewayId: gateway.id };
  services.AccessPolicy.create({
    compartmentId,
    meshId: mesh.id,
    name: 'ingress',
    description: 'The gateway reaches the storefront and the orders API',
    rules: [
      { action: 'ALLOW', source: gatewayTarget, destination: vsTarget('storefront') },
      { action: 'ALLOW', source: gatewayTarget, destination: vsTarget('orders') },
    ],
  });
  services.AccessPolicy.create({
    compartmentId,
    meshId: mesh.id,
    name: 'service-calls',
    description: 'Calls between the shop services',
    rules: CALLS.map(([from, to]) => ({
      action: 'ALLOW' as const,
      source: vsTarget(from),
      destination: vsTarget(to),
    })),
  });
  services.AccessPolicy.create({
    compartmentId,
    meshId: mesh.id,
    name: 'payments-egress',
    description: 'Payments calls the card processor over HTTPS',
    rules: [
      {
        action: 'ALLOW',
        source: vsTarget('payments'),
        destination: {
          type: 'EXTERNAL_SERVICE',
          hostnames: ['api.stripe.example.com'],
          ports: [443],
          protocol: 'HTTPS',
        },
      },
    ],
  });
  return { meshId: mesh.id };
}
