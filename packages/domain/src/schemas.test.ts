import { describe, expect, it } from 'vitest';
import { issuesToFieldErrors } from './api-error.ts';
import { ChangeCompartmentSchema, OCID_FORMAT_MESSAGE } from './common/common.schema.ts';
import { AccessPolicyCreateSchema } from './access-policy/access-policy.schema.ts';
import { IngressGatewayCreateSchema } from './ingress-gateway/ingress-gateway.schema.ts';
import { IngressGatewayRouteTableCreateSchema } from './ingress-gateway-route-table/ingress-gateway-route-table.schema.ts';
import { MeshCreateSchema, MeshUpdateSchema } from './mesh/mesh.schema.ts';
import { VirtualServiceRouteTableCreateSchema } from './route-table/route-table.schema.ts';
import {
  DNS_HOSTNAME_MESSAGE,
  VirtualDeploymentCreateSchema,
  VirtualDeploymentUpdateSchema,
} from './virtual-deployment/virtual-deployment.schema.ts';
import {
  VirtualServiceCreateSchema,
  VirtualServiceUpdateSchema,
} from './virtual-service/virtual-service.schema.ts';

const C = 'ocid1.compartment.oc1..x';
const errorsOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.success ? {} : issuesToFieldErrors(result.error?.issues ?? []));

describe('virtual service schemas', () => {
  it('accepts a service with no mtls block (it inherits)', () => {
    expect(
      VirtualServiceCreateSchema.safeParse({ compartmentId: C, meshId: 'm', name: 'orders' })
        .success,
    ).toBe(true);
  });

  it.each([
    [{ mtls: { mode: '' } }, 'mtls.mode', 'mode must be DISABLED, PERMISSIVE, STRICT or omitted'],
    [
      { mtls: { mode: 'strict' } },
      'mtls.mode',
      'mode must be DISABLED, PERMISSIVE, STRICT or omitted',
    ],
    [
      { mtls: { maximumValidity: 30 } },
      'mtls.maximumValidity',
      'maximumValidity must be between 45 and 90 days',
    ],
    [
      { mtls: { maximumValidity: 50.5 } },
      'mtls.maximumValidity',
      'maximumValidity must be a whole number of days',
    ],
    [{ name: '' }, 'name', 'required'],
    [
      { name: '9lives' },
      'name',
      'must start with a letter or _ and contain only letters, digits, - and _',
    ],
    [
      { hosts: ['a.*.com'] },
      'hosts[0]',
      'host must be a DNS name, optionally with :port; wildcards only as a prefix (*.example.com)',
    ],
  ])('refuses %j with "%s: %s"', (patch, path, message) => {
    const result = VirtualServiceCreateSchema.safeParse({
      compartmentId: C,
      meshId: 'm',
      name: 'orders',
      ...patch,
    });
    expect(errorsOf(result)[path]).toEqual([message]);
  });

  it('accepts real host shapes: bare names, name:port and prefix wildcards', () => {
    const hosts = ['details', 'details:9080', '*.example.com', 'helloworld-service-tls:8080'];
    expect(
      VirtualServiceCreateSchema.safeParse({ compartmentId: C, meshId: 'm', name: 'd', hosts })
        .success,
    ).toBe(true);
  });

  it('refuses unknown fields, __proto__ included (case G1)', () => {
    const body = JSON.parse(
      '{"compartmentId":"c","meshId":"m","name":"orders2","__proto__":{"isAdmin":true}}',
    );
    const result = VirtualServiceCreateSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('__proto__');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('lets an update say nothing about mTLS, or clear it back to inherit', () => {
    expect(VirtualServiceUpdateSchema.parse({ description: 'ledger v2' })).toEqual({
      description: 'ledger v2',
    });
    expect(VirtualServiceUpdateSchema.parse({ mtls: null })).toEqual({ mtls: null });
    expect(VirtualServiceUpdateSchema.parse({ mtls: {} })).toEqual({ mtls: {} });
  });
});

describe('mesh schemas', () => {
  it('requires exactly one certificate authority', () => {
    const two = MeshCreateSchema.safeParse({
      compartmentId: C,
      displayName: 'm',
      certificateAuthorities: [{ id: 'a' }, { id: 'b' }],
    });
    expect(errorsOf(two).certificateAuthorities).toEqual([
      'exactly one certificate authority is supported',
    ]);
  });

  it('refuses an unknown minimum', () => {
    expect(
      errorsOf(MeshUpdateSchema.safeParse({ mtls: { minimum: 'LOOSE' } }))['mtls.minimum'],
    ).toEqual(['minimum must be DISABLED, PERMISSIVE or STRICT']);
  });
});

describe('route tables', () => {
  const vsrt = (weights: number[]) =>
    VirtualServiceRouteTableCreateSchema.safeParse({
      compartmentId: C,
      virtualServiceId: 'vs',
      name: 'payments-rt',
      routeRules: [
        {
          type: 'HTTP',
          destinations: weights.map((weight, i) => ({
            type: 'VIRTUAL_DEPLOYMENT',
            virtualDeploymentId: `vd${i}`,
            weight,
          })),
        },
      ],
    });

  it('checks weights per target and in total (case C4)', () => {
    expect(errorsOf(vsrt([0, 0]))['routeRules[0].destinations']).toEqual([
      'total weight must be at least 1',
    ]);
    expect(vsrt([0, 100]).success).toBe(true);
    expect(vsrt([0, 100]).data?.routeRules[0]?.destinations.map((d) => d.weight)).toEqual([0, 100]);
    expect(errorsOf(vsrt([-5, 105]))['routeRules[0].destinations[0].weight']).toEqual([
      'weight must be ≥ 0',
    ]);
  });

  it.each([
    ['/orders', true],
    ['/foo,', true],
    ['orders', false],
  ])('ingress rule path %s accepted: %s (case C5)', (path, ok) => {
    const result = IngressGatewayRouteTableCreateSchema.safeParse({
      compartmentId: C,
      ingressGatewayId: 'gw',
      name: 'rt',
      routeRules: [
        {
          type: 'HTTP',
          path,
          pathType: 'PREFIX',
          destinations: [{ type: 'VIRTUAL_SERVICE', virtualServiceId: 'vs' }],
        },
      ],
    });
    expect(result.success).toBe(ok);
    if (!ok) expect(errorsOf(result)['routeRules[0].path']).toEqual(['path must start with /']);
  });

  it('keeps priority 0 and accepts 150 rules (cases C2, G5)', () => {
    const rule = {
      type: 'HTTP' as const,
      path: '/x',
      destinations: [{ type: 'VIRTUAL_SERVICE' as const, virtualServiceId: 'vs' }],
    };
    const result = IngressGatewayRouteTableCreateSchema.safeParse({
      compartmentId: C,
      ingressGatewayId: 'gw',
      name: 'big',
      priority: 0,
      routeRules: Array.from({ length: 150 }, () => rule),
    });
    expect(result.success).toBe(true);
    expect(result.data?.priority).toBe(0);
  });

  it('names the discriminator values when a rule type is unknown', () => {
    const result = VirtualServiceRouteTableCreateSchema.safeParse({
      compartmentId: C,
      virtualServiceId: 'vs',
      name: 'r',
      routeRules: [{ type: 'UDP', destinations: [] }],
    });
    expect(errorsOf(result)['routeRules[0].type']).toEqual([
      'type must be HTTP, TCP or TLS_PASSTHROUGH',
    ]);
  });
});

describe('ingress gateway listeners (case A12)', () => {
  const gw = (tls: unknown) =>
    IngressGatewayCreateSchema.safeParse({
      compartmentId: C,
      meshId: 'm',
      name: 'pay-gw',
      hosts: [{ name: 'h', listeners: [{ protocol: 'HTTP', port: 8080, tls }] }],
    });

  it('accepts a DISABLED listener without a certificate', () => {
    expect(gw({ mode: 'DISABLED' }).success).toBe(true);
  });

  it('requires a server certificate for TLS and a CA bundle for MUTUAL_TLS', () => {
    expect(errorsOf(gw({ mode: 'TLS' }))['hosts[0].listeners[0].tls.serverCertificate']).toEqual([
      'server certificate required for TLS',
    ]);
    const mutual = errorsOf(
      gw({ mode: 'MUTUAL_TLS', serverCertificate: { type: 'LOCAL_FILE', secretName: 's' } }),
    );
    expect(mutual['hosts[0].listeners[0].tls.clientValidation.trustedCaBundle']).toEqual([
      'trusted CA bundle required for MUTUAL_TLS',
    ]);
  });

  it('refuses two hosts with the same name', () => {
    const listeners = [{ protocol: 'HTTP', port: 8080 }];
    const result = IngressGatewayCreateSchema.safeParse({
      compartmentId: C,
      meshId: 'm',
      name: 'gw',
      hosts: [
        { name: 'a', listeners },
        { name: 'a', listeners },
      ],
    });
    expect(errorsOf(result).hosts).toEqual(['host names must be unique within the gateway']);
  });
});

describe('deployments and policies', () => {
  it('parses every service discovery and listener shape', () => {
    expect(
      VirtualDeploymentCreateSchema.safeParse({
        compartmentId: C,
        virtualServiceId: 'vs',
        name: 'details-v1',
        serviceDiscovery: { type: 'DNS', hostname: 'details' },
        listeners: [{ protocol: 'HTTP', port: 9080, requestTimeoutInMs: 0 }],
        accessLogging: { isEnabled: true },
      }).success,
    ).toBe(true);
    const bad = VirtualDeploymentCreateSchema.safeParse({
      compartmentId: C,
      virtualServiceId: 'vs',
      name: 'd',
      serviceDiscovery: { type: 'DNS' },
      listeners: [{ protocol: 'HTTP', port: 70000 }],
    });
    expect(errorsOf(bad)).toEqual({
      'serviceDiscovery.hostname': ['required'],
      'listeners[0].port': ['must be between 1 and 65535'],
    });
  });

  it('parses all four access policy target types', () => {
    const result = AccessPolicyCreateSchema.safeParse({
      compartmentId: C,
      meshId: 'm',
      name: 'p',
      rules: [
        {
          action: 'ALLOW',
          source: { type: 'ALL_VIRTUAL_SERVICES' },
          destination: { type: 'VIRTUAL_SERVICE', virtualServiceId: 'v' },
        },
        {
          action: 'ALLOW',
          source: { type: 'INGRESS_GATEWAY', ingressGatewayId: 'g' },
          destination: { type: 'ALL_VIRTUAL_SERVICES' },
        },
        {
          action: 'ALLOW',
          source: { type: 'VIRTUAL_SERVICE', virtualServiceId: 'v' },
          destination: {
            type: 'EXTERNAL_SERVICE',
            protocol: 'TCP',
            ipAddresses: ['10.0.0.0/8'],
            ports: [5432],
          },
        },
      ],
    });
    expect(result.success).toBe(true);
    const deny = AccessPolicyCreateSchema.safeParse({
      compartmentId: C,
      meshId: 'm',
      name: 'p',
      rules: [
        {
          action: 'DENY',
          source: { type: 'ALL_VIRTUAL_SERVICES' },
          destination: { type: 'ALL_VIRTUAL_SERVICES' },
        },
      ],
    });
    expect(errorsOf(deny)['rules[0].action']).toEqual(['action must be ALLOW']);
  });
});

describe('plain error wording (new-user report)', () => {
  it('words library defaults plainly and names unknown fields', () => {
    const result = VirtualServiceCreateSchema.safeParse([1, 2, 3]);
    expect(errorsOf(result)._root).toEqual(['must be an object']);
    const unknown = VirtualServiceCreateSchema.safeParse({
      compartmentId: C,
      meshId: 'm',
      name: 'a',
      colour: 'red',
    });
    expect(errorsOf(unknown)._root).toEqual(['unknown field colour']);
    const tags = VirtualServiceCreateSchema.safeParse({
      compartmentId: C,
      meshId: 'm',
      name: 'a',
      freeformTags: { a: {} },
    });
    expect(errorsOf(tags)['freeformTags.a']).toEqual(['must be a string']);
  });
});

describe('references that must not be blank (new-user report)', () => {
  const gw = (listeners: unknown[]) =>
    IngressGatewayCreateSchema.safeParse({
      compartmentId: C,
      meshId: 'm',
      name: 'gw',
      hosts: [{ name: 'h', listeners }],
    });

  it.each([
    [{ type: 'OCI_CERTIFICATES', certificateId: '' }, 'certificateId must not be empty'],
    [{ type: 'OCI_CERTIFICATES', certificateId: '   ' }, 'certificateId must not be empty'],
    [{ type: 'LOCAL_FILE', secretName: '' }, 'secretName must not be empty'],
    [{ type: 'OCI_CERTIFICATES' }, 'certificateId is required'],
  ])('refuses a TLS listener whose certificate is %j', (serverCertificate, message) => {
    const result = gw([{ protocol: 'HTTP', port: 8080, tls: { mode: 'TLS', serverCertificate } }]);
    expect(Object.values(errorsOf(result)).flat()).toContain(message);
  });

  it('refuses two listeners on one port of a host', () => {
    const result = gw([
      { protocol: 'HTTP', port: 8080 },
      { protocol: 'HTTP', port: 8080 },
    ]);
    expect(errorsOf(result)['hosts[0].listeners[1].port']).toEqual([
      'port 8080 is used by more than one listener of this host',
    ]);
  });

  it.each([
    [
      { protocol: 'HTTPS' },
      'hostnames',
      'an external service needs hostnames (HTTP, HTTPS) or ipAddresses (TCP)',
    ],
    [{ protocol: 'HTTPS', ipAddresses: ['10.0.0.0/8'] }, 'hostnames', 'HTTPS needs hostnames'],
    [{ protocol: 'TCP', hostnames: ['db.example.com'] }, 'ipAddresses', 'TCP needs ipAddresses'],
    ...['10.0.0.0/33x', '10.0.0.0/33', '999.1.1.1', '300.1.1.1/40', '10.0.0/8', '10.0.0.1/8/8'].map(
      (ip) => [
        { protocol: 'TCP', ipAddresses: [ip] },
        'ipAddresses[0]',
        'must be an IPv4 address or CIDR block (10.0.0.0/8): parts 0–255, prefix 0–32',
      ],
    ),
    ...['not a host!!', 'a..b', '-x.example.com', '*example.com', 'x.*.com'].map((host) => [
      { protocol: 'HTTPS', hostnames: [host] },
      'hostnames[0]',
      'must be a hostname (api.example.com), *.example.com or *',
    ]),
  ] as [Record<string, unknown>, string, string][])(
    'refuses the external service %j',
    (target, path, message) => {
      const result = AccessPolicyCreateSchema.safeParse({
        compartmentId: C,
        meshId: 'm',
        name: 'p',
        rules: [
          {
            action: 'ALLOW',
            source: { type: 'ALL_VIRTUAL_SERVICES' },
            destination: { type: 'EXTERNAL_SERVICE', ...target },
          },
        ],
      });
      expect(errorsOf(result)[`rules[0].destination.${path}`]).toEqual([message]);
    },
  );

  it('accepts addresses, CIDR blocks from /0 to /32, DNS names, prefix wildcards and *', () => {
    const parse = (destination: Record<string, unknown>) =>
      AccessPolicyCreateSchema.safeParse({
        compartmentId: C,
        meshId: 'm',
        name: 'p',
        rules: [
          {
            action: 'ALLOW',
            source: { type: 'ALL_VIRTUAL_SERVICES' },
            destination: { type: 'EXTERNAL_SERVICE', ...destination },
          },
        ],
      }).success;
    expect(
      parse({
        protocol: 'TCP',
        ipAddresses: ['0.0.0.0/0', '10.1.2.3', '192.168.0.0/16', '255.255.255.255/32'],
      }),
    ).toBe(true);
    expect(
      parse({ protocol: 'HTTPS', hostnames: ['*', '*.example.com', 'api.example.com', 'ratings'] }),
    ).toBe(true);
  });
});

describe('messages say what is wrong (second new-user report)', () => {
  it.each([
    [{ displayName: 'x'.repeat(256) }, 'displayName', 'must be at most 255 characters'],
    [{ displayName: '' }, 'displayName', 'required'],
    [{ displayName: undefined }, 'displayName', 'required'],
    [{ displayName: 12 }, 'displayName', 'must be a string'],
    [{ compartmentId: 123 }, 'compartmentId', 'must be a string'],
  ])('mesh %j → %s: %s', (patch, path, message) => {
    const result = MeshCreateSchema.safeParse({
      compartmentId: C,
      displayName: 'm',
      certificateAuthorities: [{ id: 'ca' }],
      ...patch,
    });
    expect(errorsOf(result)[path]).toEqual([message]);
  });
});

describe('tag limits (new-user report)', () => {
  const vs = (tags: Record<string, unknown>) =>
    VirtualServiceCreateSchema.safeParse({ compartmentId: C, meshId: 'm', name: 'a', ...tags });

  it('accepts tags at the limits', () => {
    const freeformTags = Object.fromEntries(
      Array.from({ length: 64 }, (_, i) => [`${i}`.padEnd(100, 'k'), 'v'.repeat(256)]),
    );
    const definedTags = { ['n'.repeat(100)]: { ['k'.repeat(100)]: 'v'.repeat(256) } };
    expect(vs({ freeformTags, definedTags }).success).toBe(true);
  });

  it.each([
    [
      { freeformTags: { ['k'.repeat(10_000)]: 'v' } },
      'freeformTags',
      'tag keys must be at most 100 characters',
    ],
    [{ freeformTags: { '': 'v' } }, 'freeformTags', 'tag keys must not be empty'],
    [
      { freeformTags: { k: 'v'.repeat(257) } },
      'freeformTags.k',
      'tag values must be at most 256 characters',
    ],
    [
      {
        freeformTags: Object.fromEntries(
          Array.from({ length: 900 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]),
        ),
      },
      'freeformTags',
      'at most 64 freeform tags per resource',
    ],
    [
      { definedTags: { ['n'.repeat(101)]: { k: 'v' } } },
      'definedTags',
      'tag namespaces must be at most 100 characters',
    ],
    [
      { definedTags: { ns: { ['k'.repeat(101)]: 'v' } } },
      'definedTags.ns',
      'tag keys must be at most 100 characters',
    ],
    [
      { definedTags: { ns: { k: 'v'.repeat(257) } } },
      'definedTags.ns.k',
      'tag values must be at most 256 characters',
    ],
    [
      {
        definedTags: {
          ns: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])),
        },
      },
      'definedTags',
      'at most 64 defined tags per resource',
    ],
  ])('refuses case %#', (tags, path, message) => {
    expect(errorsOf(vs(tags))).toEqual({ [path]: [message] });
  });

  it('applies the same limits to updates of every kind', () => {
    const tooLong = { freeformTags: { ['k'.repeat(101)]: 'v' } };
    expect(errorsOf(MeshUpdateSchema.safeParse(tooLong))).toEqual({
      freeformTags: ['tag keys must be at most 100 characters'],
    });
    expect(errorsOf(VirtualServiceUpdateSchema.safeParse(tooLong))).toEqual({
      freeformTags: ['tag keys must be at most 100 characters'],
    });
  });
});

describe('service discovery hostname (new-user report)', () => {
  const dns = (hostname: unknown) =>
    errorsOf(
      VirtualDeploymentUpdateSchema.safeParse({ serviceDiscovery: { type: 'DNS', hostname } }),
    );

  it.each(['reviews', 'reviews-v1.shop.svc.cluster.local', 'API.Example.com', '1password.com'])(
    'accepts %j',
    (hostname) => {
      expect(dns(hostname)).toEqual({});
    },
  );

  it.each([
    ["'; DROP TABLE x;--", DNS_HOSTNAME_MESSAGE],
    ['🚀', DNS_HOSTNAME_MESSAGE],
    ['\u202e', DNS_HOSTNAME_MESSAGE],
    ['reviews.', DNS_HOSTNAME_MESSAGE],
    ['under_score.svc', DNS_HOSTNAME_MESSAGE],
    [`${'a'.repeat(64)}.svc`, DNS_HOSTNAME_MESSAGE],
    ['a'.repeat(254), 'must be at most 253 characters'],
    ['', 'required'],
  ])('refuses %j', (hostname, message) => {
    expect(dns(hostname)).toEqual({ 'serviceDiscovery.hostname': [message] });
  });
});

describe('OCIDs in write bodies (new-user report)', () => {
  it.each([
    'ocid1.compartment.oc1..test',
    'ocid1.compartment.oc1..meshdeckdemo',
    'ocid1.compartment.oc1..aaaaaaaaexampleuniqueid',
    'ocid1.certificateauthority.oc1.iad.amaaaaaa-b_c:d',
    'OCID1.COMPARTMENT.OC1..X',
  ])('accepts %j', (compartmentId) => {
    expect(errorsOf(ChangeCompartmentSchema.safeParse({ compartmentId }))).toEqual({});
  });

  it.each(['🚀', '\u202e', 'c', 'ocid1.compartment', 'ocid1.compartment.oc1..', 'ocid1.ä.oc1..x'])(
    'refuses compartmentId %j on changeCompartment and create',
    (compartmentId) => {
      expect(errorsOf(ChangeCompartmentSchema.safeParse({ compartmentId }))).toEqual({
        compartmentId: [OCID_FORMAT_MESSAGE],
      });
      expect(
        errorsOf(VirtualServiceCreateSchema.safeParse({ compartmentId, meshId: 'm', name: 'a' })),
      ).toEqual({ compartmentId: [OCID_FORMAT_MESSAGE] });
    },
  );

  it('refuses a certificate authority id that is not an OCID', () => {
    const result = MeshCreateSchema.safeParse({
      compartmentId: C,
      displayName: 'm',
      certificateAuthorities: [{ id: '\u202e' }],
    });
    expect(errorsOf(result)).toEqual({ 'certificateAuthorities[0].id': [OCID_FORMAT_MESSAGE] });
  });
});
