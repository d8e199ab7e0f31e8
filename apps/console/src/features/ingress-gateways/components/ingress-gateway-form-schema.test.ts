import { describe, expect, it } from 'vitest';
import {
  emptyHost,
  emptyIngressGatewayFormValues,
  formPathOf,
  ingressGatewayFormSchema,
  parseServerPath,
  toIngressGatewayCreate,
  toIngressGatewayUpdate,
  type IngressGatewayFormValues,
} from './ingress-gateway-form-schema.ts';

function issues(values: IngressGatewayFormValues): Record<string, string> {
  const result = ingressGatewayFormSchema.safeParse(values);
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
}

function gateway(): IngressGatewayFormValues {
  const values = emptyIngressGatewayFormValues();
  values.name = 'gw';
  const host = values.hosts[0] ?? emptyHost();
  host.name = 'web';
  host.hostnames = 'shop.example.com, www.example.com';
  const listener = host.listeners[0];
  if (listener) listener.port = '8443';
  return values;
}

describe('ingress gateway form', () => {
  it('flags the listener TLS rules on their fields before sending, with an emptied port', () => {
    const values = gateway();
    const host = values.hosts[0];
    const tls = host?.listeners[0];
    if (!host || !tls) throw new Error('no listener');
    tls.tlsMode = 'TLS';
    host.listeners.push({ ...tls, port: '', tlsMode: 'MUTUAL_TLS', certificate: 'ocid1.cert' });
    expect(issues(values)).toEqual({
      'hosts.0.listeners.0.certificate': 'server certificate required for TLS',
      'hosts.0.listeners.1.caBundle': 'trusted CA bundle required for MUTUAL_TLS',
      'hosts.0.listeners.1.port': expect.any(String),
    });
  });

  it('builds the create body with certificate and client validation types', () => {
    const values = gateway();
    const listener = values.hosts[0]?.listeners[0];
    if (!listener) throw new Error('no listener');
    Object.assign(listener, {
      tlsMode: 'MUTUAL_TLS',
      certificateType: 'LOCAL_FILE',
      certificate: 'web-cert',
      caBundle: 'ocid1.cabundle.oc1..x',
      subjectAlternateNames: 'a.example.org',
    });
    values.maximumValidity = '60';
    const body = toIngressGatewayCreate(values, {
      meshId: 'ocid1.servicemesh.oc1..m',
      compartmentId: 'ocid1.compartment.oc1..c',
    });
    expect(body.hosts).toEqual([
      {
        name: 'web',
        hostnames: ['shop.example.com', 'www.example.com'],
        listeners: [
          {
            protocol: 'HTTP',
            port: 8443,
            tls: {
              mode: 'MUTUAL_TLS',
              serverCertificate: { type: 'LOCAL_FILE', secretName: 'web-cert' },
              clientValidation: {
                trustedCaBundle: { type: 'OCI_CERTIFICATES', caBundleId: 'ocid1.cabundle.oc1..x' },
                subjectAlternateNames: ['a.example.org'],
              },
            },
          },
        ],
      },
    ]);
    expect(body.mtls).toEqual({ maximumValidity: 60 });
    expect(issues(values)).toEqual({});
  });

  it('an edit sends only what changed', () => {
    const opened = gateway();
    expect(toIngressGatewayUpdate(opened, opened)).toEqual({});
    expect(toIngressGatewayUpdate({ ...opened, description: 'front door' }, opened)).toEqual({
      description: 'front door',
    });
    expect(toIngressGatewayUpdate({ ...opened, accessLogging: true }, opened)).toEqual({
      accessLogging: { isEnabled: true },
    });
  });

  it('puts server field errors on their fields', () => {
    expect(formPathOf(parseServerPath('hosts[1].listeners[0].tls.serverCertificate'))).toBe(
      'hosts.1.listeners.0.certificate',
    );
    expect(formPathOf(parseServerPath('hosts[0].hostnames[2]'))).toBe('hosts.0.hostnames');
    expect(formPathOf(parseServerPath('mtls.maximumValidity'))).toBe('maximumValidity');
    expect(formPathOf(parseServerPath('meshId'))).toBeUndefined();
  });
});
