import { describe, expect, it } from 'vitest';
import {
  MANAGED_CA,
  planImport,
  RESOURCE_KINDS,
  type ExistingResources,
  type ImportPlan,
} from './plan-import.ts';
import { applyPlan, countByKind, fixture, itemOf, MESHDECK_CA_ID } from './plan-test-utils.ts';

const TARGET = 'ocid1.compartment.oc1..target';
const YAML = 'application/yaml';

function bookinfo(options: Parameters<typeof planImport>[2] = {}): ImportPlan {
  return planImport(fixture('bookinfo.yaml'), YAML, { compartmentId: TARGET, ...options });
}

/** Wraps a spec in an operator resource. */
function resource(kind: string, name: string, spec: string, namespace = 'shop'): string {
  const body = spec
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `---
apiVersion: servicemesh.oci.oracle.com/v1beta1
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
${body}
`;
}

const MESH = resource(
  'Mesh',
  'shop',
  `
certificateAuthorities:
  - id: ocid1.certificateauthority.oc1..shopca
mtls:
  minimum: STRICT
`,
);
const SERVICE = resource(
  'VirtualService',
  'cart',
  `
mesh:
  ref:
    name: shop
hosts: [cart]
`,
);

function reasonsOf(plan: ImportPlan): string[] {
  return plan.rejected.flatMap((r) => r.reasons);
}

describe('planImport — operator YAML, Bookinfo', () => {
  it('plans 1 mesh, 4 services, 6 deployments, 4 route tables, 1 gateway, 1 gateway route table and 1 policy', () => {
    const plan = bookinfo();
    expect(plan.format).toBe('operator-yaml');
    expect(plan.rejected).toEqual([]);
    expect(plan.skipped).toEqual([]);
    expect(countByKind(plan.items)).toEqual({
      Mesh: 1,
      VirtualService: 4,
      VirtualDeployment: 6,
      VirtualServiceRouteTable: 4,
      IngressGateway: 1,
      IngressGatewayRouteTable: 1,
      AccessPolicy: 1,
    });
    expect(plan.items.map((i) => i.key)).toEqual([
      'Mesh/bookinfo',
      'VirtualService/details',
      'VirtualService/ratings',
      'VirtualService/reviews',
      'VirtualService/productpage',
      'VirtualDeployment/details-v1',
      'VirtualDeployment/ratings-v1',
      'VirtualDeployment/reviews-v1',
      'VirtualDeployment/reviews-v2',
      'VirtualDeployment/reviews-v3',
      'VirtualDeployment/productpage-v1',
      'VirtualServiceRouteTable/details-routes',
      'VirtualServiceRouteTable/ratings-routes',
      'VirtualServiceRouteTable/reviews-routes',
      'VirtualServiceRouteTable/productpage-routes',
      'IngressGateway/bookinfo-gateway',
      'IngressGatewayRouteTable/bookinfo-gateway-routes',
      'AccessPolicy/bookinfo-policy',
    ]);
  });

  it('orders items parents first, and every ref names an item planned earlier', () => {
    const plan = bookinfo();
    const kindRanks = plan.items.map((i) => RESOURCE_KINDS.indexOf(i.kind));
    expect(kindRanks).toEqual([...kindRanks].sort((a, b) => a - b));
    const seen = new Set<string>([MANAGED_CA]);
    for (const item of plan.items) {
      for (const ref of item.refs) expect(seen, `${item.key} → ${ref.key}`).toContain(ref.key);
      seen.add(item.key);
    }
  });

  it('gives services and deployments the hosts, listeners and parents of the file', () => {
    const plan = bookinfo();
    const details = itemOf(plan, 'VirtualService/details', 'VirtualService');
    expect(details.body).toEqual({
      compartmentId: TARGET,
      meshId: 'Mesh/bookinfo',
      name: 'details',
      defaultRoutingPolicy: { type: 'UNIFORM' },
      hosts: ['details', 'details:9080'],
    });
    expect(details.refs).toEqual([{ path: ['meshId'], key: 'Mesh/bookinfo' }]);
    const reviewsV3 = itemOf(plan, 'VirtualDeployment/reviews-v3', 'VirtualDeployment');
    expect(reviewsV3.body).toMatchObject({
      virtualServiceId: 'VirtualService/reviews',
      name: 'reviews-v3',
      listeners: [{ protocol: 'HTTP', port: 9080 }],
      serviceDiscovery: { type: 'DNS', hostname: 'reviews' },
      accessLogging: { isEnabled: true },
    });
    expect(reviewsV3.sourceName).toBe('reviews-v3');
  });

  it('keeps reviews-v2 twice in the reviews route table (the applier flags RT001)', () => {
    const table = itemOf(
      bookinfo(),
      'VirtualServiceRouteTable/reviews-routes',
      'VirtualServiceRouteTable',
    );
    expect(table.body.routeRules).toEqual([
      {
        type: 'HTTP',
        destinations: [
          {
            type: 'VIRTUAL_DEPLOYMENT',
            virtualDeploymentId: 'VirtualDeployment/reviews-v1',
            weight: 50,
          },
          {
            type: 'VIRTUAL_DEPLOYMENT',
            virtualDeploymentId: 'VirtualDeployment/reviews-v2',
            weight: 25,
          },
          {
            type: 'VIRTUAL_DEPLOYMENT',
            virtualDeploymentId: 'VirtualDeployment/reviews-v2',
            weight: 25,
          },
        ],
      },
    ]);
    expect(table.refs.map((r) => r.key)).toEqual([
      'VirtualService/reviews',
      'VirtualDeployment/reviews-v1',
      'VirtualDeployment/reviews-v2',
      'VirtualDeployment/reviews-v2',
    ]);
  });

  it('gives the mesh a Meshdeck-managed CA when the file only has a placeholder', () => {
    const plan = bookinfo();
    const mesh = itemOf(plan, 'Mesh/bookinfo', 'Mesh');
    expect(mesh.body).toEqual({
      compartmentId: TARGET,
      displayName: 'bookinfo',
      certificateAuthorities: [{ id: MANAGED_CA }],
      mtls: { minimum: 'PERMISSIVE' },
    });
    expect(mesh.refs).toEqual([{ path: ['certificateAuthorities', 0, 'id'], key: MANAGED_CA }]);
    expect(plan.flagged).toContainEqual(
      expect.objectContaining({ key: 'Mesh/bookinfo', code: 'CA002', severity: 'info' }),
    );
  });

  it('keeps the gateway certificate placeholder as an external reference flagged CERT002', () => {
    const plan = bookinfo();
    const gateway = itemOf(plan, 'IngressGateway/bookinfo-gateway', 'IngressGateway');
    expect(gateway.body.hosts).toEqual([
      {
        name: 'bookinfoHost',
        hostnames: ['bookinfo.example.com'],
        listeners: [
          {
            protocol: 'HTTP',
            port: 9080,
            tls: {
              mode: 'TLS',
              serverCertificate: {
                type: 'OCI_CERTIFICATES',
                certificateId: '$YOUR_CERTIFICATE_OCID',
              },
            },
          },
        ],
      },
    ]);
    expect(plan.flagged.filter((f) => f.kind === 'IngressGateway')).toEqual([
      {
        key: 'IngressGateway/bookinfo-gateway',
        kind: 'IngressGateway',
        name: 'bookinfo-gateway',
        code: 'CERT002',
        severity: 'warning',
        message:
          'server certificate is a placeholder ($YOUR_CERTIFICATE_OCID): set a real server certificate',
        path: 'hosts[0].listeners[0].tls.serverCertificate',
      },
    ]);
  });

  it('routes the gateway to productpage and allows the four Bookinfo edges', () => {
    const plan = bookinfo();
    const routes = itemOf(
      plan,
      'IngressGatewayRouteTable/bookinfo-gateway-routes',
      'IngressGatewayRouteTable',
    );
    expect(routes.body.routeRules).toEqual([
      {
        type: 'HTTP',
        ingressGatewayHost: { name: 'bookinfoHost' },
        destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/productpage' }],
      },
    ]);
    const policy = itemOf(plan, 'AccessPolicy/bookinfo-policy', 'AccessPolicy');
    expect(policy.body.meshId).toBe('Mesh/bookinfo');
    expect(policy.body.rules.map((r) => [r.source, r.destination])).toEqual([
      [
        { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/productpage' },
        { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/details' },
      ],
      [
        { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/productpage' },
        { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/reviews' },
      ],
      [
        { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/reviews' },
        { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/ratings' },
      ],
      [
        { type: 'INGRESS_GATEWAY', ingressGatewayId: 'IngressGateway/bookinfo-gateway' },
        { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/productpage' },
      ],
    ]);
  });

  it('yields bodies the domain create schemas accept once ids replace the refs', () => {
    const plan = bookinfo();
    const { idOf, bodies } = applyPlan(plan);
    expect(bodies.get('Mesh/bookinfo')?.certificateAuthorities).toEqual([{ id: MESHDECK_CA_ID }]);
    expect(bodies.get('VirtualDeployment/reviews-v1')?.virtualServiceId).toBe(
      idOf.get('VirtualService/reviews'),
    );
  });

  it('rejects every document whose compartmentId is a placeholder when no target compartment is given', () => {
    const plan = planImport(fixture('bookinfo.yaml'), YAML);
    expect(plan.items).toEqual([]);
    expect(plan.rejected).toHaveLength(18);
    for (const rejected of plan.rejected) {
      expect(rejected.reasons).toEqual([
        'compartmentId is a placeholder ($YOUR_COMPARTMENT_OCID): choose a target compartment',
      ]);
    }
    expect(plan.rejected.map((r) => r.documentIndex)).toEqual([...Array(18).keys()]);
  });

  it('takes placeholders from variables: compartment, CA and certificate', () => {
    const plan = planImport(fixture('bookinfo.yaml'), YAML, {
      variables: {
        YOUR_COMPARTMENT_OCID: 'ocid1.compartment.oc1..fromvariables',
        $YOUR_CERTIFICATE_AUTHORITY_OCID: 'ocid1.certificateauthority.oc1..theirs',
        YOUR_CERTIFICATE_OCID: 'ocid1.certificate.oc1..gateway',
      },
    });
    expect(plan.rejected).toEqual([]);
    expect(plan.compartmentId).toBe('ocid1.compartment.oc1..fromvariables');
    expect(plan.flagged.map((f) => f.code)).toEqual(['CA001', 'CERT001']);
    const gateway = itemOf(plan, 'IngressGateway/bookinfo-gateway', 'IngressGateway');
    expect(gateway.body.hosts[0]?.listeners[0]?.tls?.serverCertificate).toEqual({
      type: 'OCI_CERTIFICATES',
      certificateId: 'ocid1.certificate.oc1..gateway',
    });
  });

  it('maps the mesh CA to certificateAuthorityId without a flag', () => {
    const plan = bookinfo({ certificateAuthorityId: 'ocid1.certificateauthority.oc1..chosen' });
    const mesh = itemOf(plan, 'Mesh/bookinfo', 'Mesh');
    expect(mesh.body.certificateAuthorities).toEqual([
      { id: 'ocid1.certificateauthority.oc1..chosen' },
    ]);
    expect(mesh.refs).toEqual([]);
    expect(plan.flagged.map((f) => f.code)).toEqual(['CERT002']);
  });

  it('lets the compartmentId option override real compartments in the file', () => {
    const plan = planImport(fixture('storefront.yaml'), YAML, { compartmentId: TARGET });
    expect(plan.items.every((i) => i.body.compartmentId === TARGET)).toBe(true);
    expect(plan.compartmentId).toBe(TARGET);
  });
});

describe('planImport — operator YAML, mapping', () => {
  const plan = planImport(fixture('storefront.yaml'), YAML);
  const at = (key: string): unknown => plan.items.find((i) => i.key === key)?.body;

  it('plans the storefront fixture without rejections', () => {
    expect(plan.rejected).toEqual([]);
    expect(plan.compartmentId).toBe('ocid1.compartment.oc1..shopcompartment');
  });

  it.each([
    ['Mesh displayName', 'Mesh/storefront', { displayName: 'Storefront mesh' }],
    [
      'spec.name over metadata.name',
      'VirtualService/catalog',
      { name: 'catalog-svc', mtls: { mode: 'STRICT', maximumValidity: 60 } },
    ],
    [
      'listener → listeners',
      'VirtualDeployment/catalog-http',
      {
        name: 'catalog-v1',
        listeners: [
          { protocol: 'HTTP', port: 8080 },
          { protocol: 'TCP', port: 5432 },
          { protocol: 'TLS_PASSTHROUGH', port: 8443 },
        ],
      },
    ],
    [
      'route kinds → type, `/foo,` kept as a prefix',
      'VirtualServiceRouteTable/catalog-routes',
      {
        priority: 5,
        routeRules: [
          {
            type: 'HTTP',
            path: '/foo,',
            pathType: 'PREFIX',
            isGrpc: false,
            destinations: [
              {
                type: 'VIRTUAL_DEPLOYMENT',
                virtualDeploymentId: 'VirtualDeployment/catalog-http',
                weight: 100,
                port: 8080,
              },
            ],
          },
          {
            type: 'TCP',
            destinations: [
              {
                type: 'VIRTUAL_DEPLOYMENT',
                virtualDeploymentId: 'VirtualDeployment/catalog-http',
                weight: 100,
                port: 5432,
              },
            ],
          },
          {
            type: 'TLS_PASSTHROUGH',
            destinations: [
              {
                type: 'VIRTUAL_DEPLOYMENT',
                virtualDeploymentId: 'VirtualDeployment/catalog-http',
                weight: 100,
                port: 8443,
              },
            ],
          },
        ],
      },
    ],
    [
      'certificates and CA bundles → typed variants',
      'IngressGateway/shop-gateway',
      {
        name: 'shop-gw',
        hosts: [
          {
            name: 'shopHost',
            hostnames: ['shop.example.com', 'www.shop.example.com'],
            listeners: [
              {
                protocol: 'HTTP',
                port: 8080,
                tls: {
                  mode: 'MUTUAL_TLS',
                  serverCertificate: {
                    type: 'OCI_CERTIFICATES',
                    certificateId: 'ocid1.certificate.oc1.iad.shopcert',
                  },
                  clientValidation: {
                    trustedCaBundle: {
                      type: 'OCI_CERTIFICATES',
                      caBundleId: 'ocid1.cabundle.oc1.iad.shopclients',
                    },
                    subjectAlternateNames: ['partner.example.com'],
                  },
                },
              },
              {
                protocol: 'HTTP',
                port: 9090,
                tls: {
                  mode: 'TLS',
                  serverCertificate: { type: 'LOCAL_FILE', secretName: 'shop-tls' },
                },
              },
            ],
          },
        ],
        mtls: { maximumValidity: 45 },
      },
    ],
    [
      'gateway route rule fields',
      'IngressGatewayRouteTable/shop-gateway-routes',
      {
        routeRules: [
          {
            type: 'HTTP',
            path: '/catalog',
            pathType: 'PREFIX',
            isPathRewriteEnabled: true,
            ingressGatewayHost: { name: 'shopHost', port: 8080 },
            destinations: [
              { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/catalog', port: 8080 },
            ],
          },
        ],
      },
    ],
    [
      'policy targets incl. external services',
      'AccessPolicy/shop-policy',
      {
        rules: [
          {
            action: 'ALLOW',
            source: { type: 'ALL_VIRTUAL_SERVICES' },
            destination: { type: 'ALL_VIRTUAL_SERVICES' },
          },
          {
            action: 'ALLOW',
            source: { type: 'INGRESS_GATEWAY', ingressGatewayId: 'IngressGateway/shop-gateway' },
            destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/catalog' },
          },
          {
            action: 'ALLOW',
            source: { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/catalog' },
            destination: {
              type: 'EXTERNAL_SERVICE',
              protocol: 'HTTPS',
              hostnames: ['*.payments.example.com'],
              ports: [443],
            },
          },
          {
            action: 'ALLOW',
            source: { type: 'VIRTUAL_SERVICE', virtualServiceId: 'VirtualService/catalog' },
            destination: {
              type: 'EXTERNAL_SERVICE',
              protocol: 'TCP',
              ipAddresses: ['10.0.0.0/16'],
              ports: [5432],
            },
          },
          {
            action: 'ALLOW',
            source: { type: 'ALL_VIRTUAL_SERVICES' },
            destination: {
              type: 'EXTERNAL_SERVICE',
              protocol: 'HTTP',
              hostnames: ['status.example.com'],
            },
          },
        ],
      },
    ],
  ])('maps %s', (_what, key, expected) => {
    expect(at(key)).toMatchObject(expected);
  });

  it('keeps a foreign CA OCID as external (CA001) and external certificates as CERT001', () => {
    expect(plan.flagged.map((f) => [f.code, f.severity, f.path])).toEqual([
      ['CA001', 'warning', 'certificateAuthorities[0]'],
      ['CERT001', 'info', 'hosts[0].listeners[0].tls.serverCertificate'],
      ['CERT001', 'info', 'hosts[0].listeners[0].tls.clientValidation.trustedCaBundle'],
      ['CERT001', 'info', 'hosts[0].listeners[1].tls.serverCertificate'],
    ]);
  });

  it('does not flag a CA that Meshdeck already manages', () => {
    const managed = planImport(fixture('storefront.yaml'), YAML, {
      existing: {
        isManagedCertificateAuthority: (id) => id === 'ocid1.certificateauthority.oc1.iad.shopca',
      },
    });
    expect(managed.flagged.map((f) => f.code)).not.toContain('CA001');
  });

  it('skips Kubernetes-only kinds with a note and plans nothing for them', () => {
    const skipped = planImport(fixture('bookinfo-bindings.yaml'), YAML);
    expect(skipped.items).toEqual([]);
    expect(skipped.rejected).toEqual([]);
    expect(skipped.skipped).toEqual([
      {
        kind: 'VirtualDeploymentBinding',
        name: 'reviews-v1-binding',
        documentIndex: 0,
        reason:
          'Kubernetes-side only (binds Kubernetes pods to a virtual deployment): no OCI API counterpart',
      },
      {
        kind: 'IngressGatewayDeployment',
        name: 'bookinfo-gateway-deployment',
        documentIndex: 1,
        reason:
          'Kubernetes-side only (runs the ingress gateway pods in Kubernetes): no OCI API counterpart',
      },
      {
        kind: 'Service',
        name: 'bookinfo-entry',
        documentIndex: 2,
        reason: 'not an OCI Service Mesh resource (v1): Kubernetes only, not imported',
      },
    ]);
  });

  it('ignores empty documents', () => {
    const withEmpties = planImport(`---\n---\n# nothing\n${MESH}---\n`, YAML, {
      compartmentId: TARGET,
    });
    expect(withEmpties.rejected).toEqual([]);
    expect(withEmpties.items.map((i) => [i.key, i.documentIndex])).toEqual([['Mesh/shop', 2]]);
  });

  it('namespaces keys only when one file holds the same name in two namespaces', () => {
    const twoNamespaces = planImport(
      MESH +
        resource('Mesh', 'shop', 'certificateAuthorities: [{id: $CA}]', 'staging') +
        resource('VirtualService', 'cart', 'mesh: {ref: {name: shop}}', 'staging'),
      YAML,
      { compartmentId: TARGET },
    );
    expect(twoNamespaces.rejected).toEqual([]);
    expect(twoNamespaces.items.map((i) => [i.key, i.refs.map((r) => r.key)])).toEqual([
      ['Mesh/shop/shop', []],
      ['Mesh/staging/shop', [MANAGED_CA]],
      ['VirtualService/cart', ['Mesh/staging/shop']],
    ]);
  });
});

describe('planImport — operator YAML, references to existing resources', () => {
  const existing: ExistingResources = {
    findByName: (kind, name, parentId) => {
      if (kind === 'Mesh' && name === 'shop') {
        return [{ id: 'ocid1.servicemesh.oc1..shop', mtlsMinimum: 'STRICT' }];
      }
      if (
        kind === 'VirtualService' &&
        name === 'cart' &&
        (parentId === undefined || parentId === 'ocid1.servicemesh.oc1..shop')
      ) {
        return [
          { id: 'ocid1.meshvirtualservice.oc1..cart', meshId: 'ocid1.servicemesh.oc1..shop' },
        ];
      }
      if (
        kind === 'VirtualDeployment' &&
        parentId === 'ocid1.meshvirtualservice.oc1..cart' &&
        name === 'cart-v1'
      ) {
        return [{ id: 'ocid1.meshvirtualdeployment.oc1..cartv1' }];
      }
      return [];
    },
  };

  it('puts the real id of an existing parent in the body, with no ref', () => {
    const plan = planImport(SERVICE.replace('cart', 'orders').replace('[cart]', '[orders]'), YAML, {
      compartmentId: TARGET,
      existing,
    });
    expect(plan.rejected).toEqual([]);
    expect(plan.items[0]?.body).toMatchObject({
      meshId: 'ocid1.servicemesh.oc1..shop',
      name: 'orders',
    });
    expect(plan.items[0]?.refs).toEqual([]);
  });

  it('resolves a route table against an existing service and deployment', () => {
    const table = resource(
      'VirtualServiceRouteTable',
      'cart-routes',
      `
virtualService: {ref: {name: cart}}
routeRules:
  - httpRoute:
      destinations:
        - virtualDeployment: {ref: {name: cart-v1}}
          weight: 100
`,
    );
    const plan = planImport(table, YAML, { compartmentId: TARGET, existing });
    expect(plan.rejected).toEqual([]);
    expect(plan.items[0]?.body).toMatchObject({
      virtualServiceId: 'ocid1.meshvirtualservice.oc1..cart',
      routeRules: [
        { destinations: [{ virtualDeploymentId: 'ocid1.meshvirtualdeployment.oc1..cartv1' }] },
      ],
    });
  });

  it('checks a declared mode against the minimum of an existing mesh', () => {
    const plan = planImport(SERVICE.replace('[cart]', '[cart]\n  mtls: {mode: PERMISSIVE}'), YAML, {
      compartmentId: TARGET,
      existing,
    });
    expect(reasonsOf(plan)).toEqual([
      'spec.mtls.mode: PERMISSIVE is less strict than mesh minimum STRICT (VS001)',
    ]);
  });

  it('never looks for existing children under a parent the file creates', () => {
    const plan = planImport(
      MESH +
        SERVICE +
        resource(
          'VirtualServiceRouteTable',
          'cart-routes',
          `
virtualService: {ref: {name: cart}}
routeRules:
  - httpRoute:
      destinations:
        - virtualDeployment: {ref: {name: cart-v1}}
          weight: 100
`,
        ),
      YAML,
      { compartmentId: TARGET, existing },
    );
    expect(reasonsOf(plan)).toEqual([
      "spec.routeRules[0].httpRoute.destinations[0].virtualDeployment.ref: virtual deployment 'cart-v1' is not defined in this file (namespace shop) or in Meshdeck",
    ]);
  });
  describe('import sources and scopes', () => {
    const SHOP = 'ocid1.servicemesh.oc1..shop';
    const OTHER = 'ocid1.servicemesh.oc1..other';
    const vsOf = (id: string, meshId: string, source?: { namespace: string; name: string }) => ({
      id,
      name: 'cart-svc',
      meshId,
      meshName: meshId === SHOP ? 'shop' : 'other',
      ...(source ? { source } : {}),
    });
    const DEPLOYMENT = (namespace: string) =>
      resource(
        'VirtualDeployment',
        'cart-v1',
        `
virtualService: {ref: {name: cart}}
serviceDiscovery: {type: DNS, hostname: cart}
listener: [{port: 8080, protocol: HTTP}]
`,
        namespace,
      );

    it('prefers the import source of the same namespace, then the only one when a side has none', () => {
      const sources: ExistingResources = {
        findBySource: (kind, name) =>
          kind === 'VirtualService' && name === 'cart'
            ? [
                vsOf('ocid1.vs..shop', SHOP, { namespace: 'shop', name: 'cart' }),
                vsOf('ocid1.vs..other', OTHER, { namespace: '', name: 'cart' }),
              ]
            : [],
      };
      const target = (namespace: string) =>
        planImport(DEPLOYMENT(namespace), YAML, { compartmentId: TARGET, existing: sources })
          .items[0]?.body;
      expect(target('shop')).toMatchObject({ virtualServiceId: 'ocid1.vs..shop' });
      // `staging` matches no namespace exactly; only the source without namespace is loose.
      expect(target('staging')).toMatchObject({ virtualServiceId: 'ocid1.vs..other' });
      const plan = planImport(DEPLOYMENT('shop'), YAML, {
        compartmentId: TARGET,
        existing: sources,
      });
      expect(plan.resolved).toEqual([
        {
          key: 'VirtualDeployment/cart-v1',
          kind: 'VirtualDeployment',
          name: 'cart-v1',
          documentIndex: 0,
          path: 'spec.virtualService',
          reference: { name: 'cart', namespace: 'shop' },
          via: 'import-source',
          target: {
            kind: 'VirtualService',
            ...vsOf('ocid1.vs..shop', SHOP, { namespace: 'shop', name: 'cart' }),
          },
        },
      ]);
    });

    it('does not fall back by OCI name to a resource imported from another Kubernetes resource', () => {
      const plan = planImport(DEPLOYMENT('shop'), YAML, {
        compartmentId: TARGET,
        existing: {
          findByName: () => [
            vsOf('ocid1.vs..legacy', OTHER, { namespace: 'legacy', name: 'cart' }),
          ],
        },
      });
      expect(reasonsOf(plan)).toEqual([
        "spec.virtualService.ref: virtual service 'cart' is not defined in this file (namespace shop) or in Meshdeck; not bound by OCI name to 'cart-svc' in mesh 'other' (ocid1.vs..legacy, imported from legacy/cart): an earlier import created it from another Kubernetes resource (to use it, give that resource's ref.name and ref.namespace, or the id)",
      ]);
    });

    const POLICY = (destination: string) =>
      resource(
        'AccessPolicy',
        'cart-access',
        `
mesh: {ref: {name: shop}}
rules:
  - action: ALLOW
    source: {allVirtualServices: {}}
    destination: {virtualService: ${destination}}
`,
      );
    const meshes: ExistingResources['findByName'] = (kind, name) =>
      kind === 'Mesh' && name === 'shop' ? [{ id: SHOP, name: 'shop', meshId: SHOP }] : [];

    it('never binds across meshes, even when a store ignores the parent it is given', () => {
      const plan = planImport(POLICY('{ref: {name: cart}}'), YAML, {
        compartmentId: TARGET,
        existing: {
          findByName: (kind, name, parentId) =>
            kind === 'VirtualService'
              ? [vsOf('ocid1.vs..other', OTHER)]
              : meshes(kind, name, parentId),
        },
      });
      expect(reasonsOf(plan)).toEqual([
        "spec.rules[0].destination.virtualService.ref: virtual service 'cart' is not defined in this file (namespace shop) or in Meshdeck",
      ]);
    });

    it('looks up an id reference to check its mesh and report it', () => {
      const existing: ExistingResources = {
        findByName: meshes,
        findById: (kind, id) =>
          kind === 'VirtualService' ? vsOf(id, id.endsWith('other') ? OTHER : SHOP) : undefined,
      };
      const elsewhere = planImport(POLICY('{id: ocid1.vs..other}'), YAML, {
        compartmentId: TARGET,
        existing,
      });
      expect(reasonsOf(elsewhere)).toEqual([
        "spec.rules[0].destination.virtualService: virtual service 'cart-svc' is in another mesh than this access policy",
      ]);
      const same = planImport(POLICY('{id: ocid1.vs..cart}'), YAML, {
        compartmentId: TARGET,
        existing,
      });
      expect(same.rejected).toEqual([]);
      expect(same.resolved.map((r) => [r.path, r.via, r.target.id])).toEqual([
        ['spec.mesh', 'name', SHOP],
        ['spec.rules[0].destination.virtualService', 'id', 'ocid1.vs..cart'],
      ]);
    });
  });
});

describe('planImport — operator YAML, rejections', () => {
  it('names the missing resource of every unresolvable reference', () => {
    const plan = planImport(fixture('broken-refs.yaml'), YAML);
    expect(plan.rejected).toEqual([
      {
        kind: 'VirtualService',
        name: 'cart',
        documentIndex: 0,
        reasons: [
          "spec.mesh.ref: mesh 'shop-mesh' is not defined in this file (namespace shop) or in Meshdeck",
        ],
      },
      {
        kind: 'VirtualServiceRouteTable',
        name: 'cart-routes',
        documentIndex: 2,
        reasons: [
          "spec.routeRules[0].httpRoute.destinations[1].virtualDeployment.ref: virtual deployment 'cart-v2' is not defined in this file (namespace shop) or in Meshdeck",
        ],
      },
    ]);
  });

  it('rejects a YAML syntax error once, with its line', () => {
    const plan = planImport('kind: Mesh\nmetadata:\n  name: a\n spec: {}\n', YAML);
    expect(plan.items).toEqual([]);
    expect(plan.rejected).toEqual([
      {
        kind: 'File',
        name: '',
        reasons: [
          'YAML syntax error at line 4, column 1: All mapping items must start at the same column',
        ],
      },
    ]);
  });

  it.each([
    ['a Helm values file', fixture('chart-values.yaml'), 'not a Kubernetes resource: no kind'],
    [
      'a list',
      '- a\n- b\n',
      'not a Kubernetes resource: expected a mapping with apiVersion and kind',
    ],
    ['an empty file', '# nothing here\n', 'the file holds no documents'],
    [
      'an unknown operator kind',
      'apiVersion: servicemesh.oci.oracle.com/v1beta1\nkind: VirtualRouter\nmetadata: {name: r}\nspec: {}\n',
      'unknown kind VirtualRouter in servicemesh.oci.oracle.com',
    ],
    [
      'another operator version',
      'apiVersion: servicemesh.oci.oracle.com/v1\nkind: Mesh\nmetadata: {name: m}\nspec: {}\n',
      'apiVersion servicemesh.oci.oracle.com/v1 is not supported: expected servicemesh.oci.oracle.com/v1beta1',
    ],
    [
      'a mesh kind without apiVersion',
      'kind: Mesh\nmetadata: {name: m}\nspec: {}\n',
      'apiVersion is missing: expected servicemesh.oci.oracle.com/v1beta1',
    ],
    [
      'no metadata.name',
      'apiVersion: servicemesh.oci.oracle.com/v1beta1\nkind: Mesh\nspec: {}\n',
      'metadata.name is missing',
    ],
    [
      'no spec',
      'apiVersion: servicemesh.oci.oracle.com/v1beta1\nkind: Mesh\nmetadata: {name: m}\n',
      'spec is missing',
    ],
  ])('rejects %s', (_what, text, reason) => {
    expect(reasonsOf(planImport(text, YAML))).toEqual([reason]);
  });

  it.each([
    [
      'a placeholder with no value',
      resource('VirtualService', 'orders', 'mesh: {ref: {name: shop}}\nhosts: [$ORDERS_HOST]'),
      'hosts[0]: $ORDERS_HOST is a placeholder with no value (give it in variables)',
    ],
    [
      'a rule with two route kinds',
      resource(
        'VirtualServiceRouteTable',
        'rt',
        'virtualService: {ref: {name: cart}}\nrouteRules:\n  - httpRoute: {destinations: []}\n    tcpRoute: {destinations: []}',
      ),
      'spec.routeRules[0]: give exactly one of httpRoute, tcpRoute, tlsPassthroughRoute',
    ],
    [
      'a mode below the mesh minimum',
      resource('VirtualService', 'orders', 'mesh: {ref: {name: shop}}\nmtls: {mode: DISABLED}'),
      'spec.mtls.mode: DISABLED is less strict than mesh minimum STRICT (VS001)',
    ],
    [
      'a path without a leading slash',
      resource(
        'VirtualServiceRouteTable',
        'rt',
        'virtualService: {ref: {name: cart}}\nrouteRules:\n  - httpRoute:\n      path: api\n      destinations: [{virtualDeployment: {id: ocid1.meshvirtualdeployment.oc1..x}, weight: 1}]',
      ),
      'routeRules[0].path: path must start with /',
    ],
    [
      'a gateway route on a host the gateway does not have',
      resource(
        'IngressGateway',
        'gw',
        'mesh: {ref: {name: shop}}\nhosts:\n  - name: web\n    listeners: [{protocol: HTTP, port: 8080}]',
      ) +
        resource(
          'IngressGatewayRouteTable',
          'gw-routes',
          'ingressGateway: {ref: {name: gw}}\nrouteRules:\n  - httpRoute:\n      ingressGatewayHost: {name: api}\n      destinations: [{virtualService: {ref: {name: cart}}}]',
        ),
      "spec.routeRules[0].httpRoute.ingressGatewayHost.name: 'api' is not a host of ingress gateway 'gw' (hosts: web)",
    ],
    [
      'a deployment of another service in a route table',
      resource('VirtualService', 'other', 'mesh: {ref: {name: shop}}') +
        resource('VirtualDeployment', 'other-v1', 'virtualService: {ref: {name: other}}') +
        resource(
          'VirtualServiceRouteTable',
          'rt',
          'virtualService: {ref: {name: cart}}\nrouteRules:\n  - httpRoute:\n      destinations: [{virtualDeployment: {ref: {name: other-v1}}, weight: 100}]',
        ),
      "spec.routeRules[0].httpRoute.destinations[0].virtualDeployment: virtual deployment 'other-v1' belongs to another virtual service than virtual service 'cart'",
    ],
    [
      'a reference that is neither ref nor id',
      resource('VirtualDeployment', 'cart-v1', 'virtualService: {name: cart}'),
      'spec.virtualService: give either ref.name or id',
    ],
    [
      'two services with one OCI name in one mesh',
      resource('VirtualService', 'cart-again', 'name: cart\nmesh: {ref: {name: shop}}'),
      "name 'cart' is already used by virtual service 'VirtualService/cart' under the same parent",
    ],
    [
      'the same resource twice',
      SERVICE,
      "duplicate: virtual service 'cart' is already defined earlier in this file (documentIndex 1)",
    ],
  ])('rejects %s', (_what, extra, reason) => {
    const plan = planImport(MESH + SERVICE + extra, YAML, { compartmentId: TARGET });
    expect(reasonsOf(plan)).toEqual([reason]);
  });

  it('reports every problem at once: several documents, several reasons each', () => {
    const plan = planImport(
      resource(
        'VirtualService',
        'a',
        'mesh: {ref: {name: nowhere}}\nhosts: ["not a host"]\nmtls: {mode: SOMETIMES}',
      ) +
        resource(
          'VirtualDeployment',
          'b',
          'virtualService: {ref: {name: missing}}\nlistener: [{protocol: HTTP, port: 0}]',
        ),
      YAML,
    );
    expect(plan.rejected.map((r) => [r.name, r.reasons.length])).toEqual([
      ['a', 4],
      ['b', 3],
    ]);
    expect(plan.rejected[1]?.reasons).toEqual([
      "spec.virtualService.ref: virtual service 'missing' is not defined in this file (namespace shop) or in Meshdeck",
      'compartmentId is missing: choose a target compartment',
      'listeners[0].port: must be between 1 and 65535',
    ]);
  });
});
