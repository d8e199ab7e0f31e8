import {
  DEFAULT_MAXIMUM_VALIDITY_DAYS,
  IngressGatewayCreateSchema,
  LISTENER_TLS_MODES,
  type IngressGateway,
  type IngressGatewayCreate,
  type IngressGatewayHost,
  type IngressGatewayListener,
  type IngressGatewayUpdate,
} from '@meshdeck/domain';
import { z } from 'zod';

export const LISTENER_PROTOCOLS = ['HTTP', 'TLS_PASSTHROUGH', 'TCP'] as const;
export const REFERENCE_TYPES = ['OCI_CERTIFICATES', 'LOCAL_FILE'] as const;
export type ReferenceType = (typeof REFERENCE_TYPES)[number];

/** `NONE`: the listener has no tls block (plaintext, like DISABLED). */
export const TLS_CHOICES = ['NONE', ...LISTENER_TLS_MODES] as const;
export type TlsChoice = (typeof TLS_CHOICES)[number];

/** What each listener TLS mode needs, shown next to the choice (rules of ListenerTlsSchema). */
export const TLS_HINTS: Record<TlsChoice, string> = {
  NONE: 'No TLS: plaintext from outside.',
  DISABLED: 'Plaintext from outside.',
  PERMISSIVE: 'TLS and plaintext both accepted.',
  TLS: 'Needs a server certificate.',
  MUTUAL_TLS: 'Needs a server certificate and a trusted CA bundle to check clients.',
};

/** A listener as the inputs hold it: the port as text (empty stays empty), references as text. */
export interface ListenerValues {
  protocol: (typeof LISTENER_PROTOCOLS)[number];
  port: string;
  tlsMode: TlsChoice;
  certificateType: ReferenceType;
  certificate: string;
  caBundleType: ReferenceType;
  caBundle: string;
  /** Comma-separated. */
  subjectAlternateNames: string;
}

export interface HostValues {
  name: string;
  /** Comma-separated; empty leaves the field out. */
  hostnames: string;
  listeners: ListenerValues[];
}

export interface IngressGatewayFormValues {
  name: string;
  description: string;
  hosts: HostValues[];
  accessLogging: boolean;
  maximumValidity: string;
}

export function emptyListener(): ListenerValues {
  return {
    protocol: 'HTTP',
    port: '',
    tlsMode: 'NONE',
    certificateType: 'OCI_CERTIFICATES',
    certificate: '',
    caBundleType: 'OCI_CERTIFICATES',
    caBundle: '',
    subjectAlternateNames: '',
  };
}

export function emptyHost(): HostValues {
  return { name: '', hostnames: '', listeners: [emptyListener()] };
}

export function emptyIngressGatewayFormValues(): IngressGatewayFormValues {
  return {
    name: '',
    description: '',
    hosts: [emptyHost()],
    accessLogging: false,
    maximumValidity: '',
  };
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A number box's text; empty is undefined (the schema says it is required), junk is NaN. */
const numberText = (text: string): number | undefined =>
  text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;

function toListener(l: ListenerValues): IngressGatewayListener {
  const base = { protocol: l.protocol, port: numberText(l.port) as number };
  if (l.tlsMode === 'NONE') return base;
  const san = list(l.subjectAlternateNames);
  const caBundle = l.caBundle.trim();
  const clientValidation =
    caBundle !== '' || san.length > 0
      ? {
          ...(caBundle !== ''
            ? {
                trustedCaBundle:
                  l.caBundleType === 'OCI_CERTIFICATES'
                    ? { type: 'OCI_CERTIFICATES' as const, caBundleId: caBundle }
                    : { type: 'LOCAL_FILE' as const, secretName: caBundle },
              }
            : {}),
          ...(san.length > 0 ? { subjectAlternateNames: san } : {}),
        }
      : undefined;
  const certificate = l.certificate.trim();
  return {
    ...base,
    tls: {
      mode: l.tlsMode,
      ...(certificate !== ''
        ? {
            serverCertificate:
              l.certificateType === 'OCI_CERTIFICATES'
                ? { type: 'OCI_CERTIFICATES' as const, certificateId: certificate }
                : { type: 'LOCAL_FILE' as const, secretName: certificate },
          }
        : {}),
      ...(clientValidation ? { clientValidation } : {}),
    },
  };
}

export function toHosts(values: Pick<IngressGatewayFormValues, 'hosts'>): IngressGatewayHost[] {
  return values.hosts.map((h) => {
    const hostnames = list(h.hostnames);
    return {
      name: h.name.trim(),
      ...(hostnames.length > 0 ? { hostnames } : {}),
      listeners: h.listeners.map(toListener),
    };
  });
}

function fromListener(l: IngressGatewayListener): ListenerValues {
  const tls = l.tls;
  const cert = tls?.serverCertificate;
  const ca = tls?.clientValidation?.trustedCaBundle;
  return {
    protocol: l.protocol,
    port: String(l.port),
    tlsMode: tls?.mode ?? 'NONE',
    certificateType: cert?.type ?? 'OCI_CERTIFICATES',
    certificate: cert
      ? cert.type === 'OCI_CERTIFICATES'
        ? cert.certificateId
        : cert.secretName
      : '',
    caBundleType: ca?.type ?? 'OCI_CERTIFICATES',
    caBundle: ca ? (ca.type === 'OCI_CERTIFICATES' ? ca.caBundleId : ca.secretName) : '',
    subjectAlternateNames: (tls?.clientValidation?.subjectAlternateNames ?? []).join(', '),
  };
}

export function toIngressGatewayFormValues(g: IngressGateway): IngressGatewayFormValues {
  return {
    name: g.name,
    description: g.description ?? '',
    hosts: g.hosts.map((h) => ({
      name: h.name,
      hostnames: (h.hostnames ?? []).join(', '),
      listeners: h.listeners.map(fromListener),
    })),
    accessLogging: g.accessLogging?.isEnabled ?? false,
    maximumValidity: g.mtls?.maximumValidity !== undefined ? String(g.mtls.maximumValidity) : '',
  };
}

export function toIngressGatewayCreate(
  values: IngressGatewayFormValues,
  mesh: { meshId: string; compartmentId: string },
): IngressGatewayCreate {
  const days = numberText(values.maximumValidity);
  return {
    compartmentId: mesh.compartmentId,
    meshId: mesh.meshId,
    name: values.name,
    ...(values.description !== '' ? { description: values.description } : {}),
    hosts: toHosts(values),
    ...(values.accessLogging ? { accessLogging: { isEnabled: true } } : {}),
    ...(days !== undefined ? { mtls: { maximumValidity: days } } : {}),
  };
}

/** The PUT body: only what differs from the version the form opened on; hosts go whole. */
export function toIngressGatewayUpdate(
  values: IngressGatewayFormValues,
  opened: IngressGatewayFormValues,
): IngressGatewayUpdate {
  const body: IngressGatewayUpdate = {};
  if (values.description !== opened.description) body.description = values.description;
  const hosts = toHosts(values);
  if (JSON.stringify(hosts) !== JSON.stringify(toHosts(opened))) body.hosts = hosts;
  if (values.accessLogging !== opened.accessLogging) {
    body.accessLogging = { isEnabled: values.accessLogging };
  }
  if (values.maximumValidity.trim() !== opened.maximumValidity.trim()) {
    // A cleared box means the default again.
    body.mtls = {
      maximumValidity: numberText(values.maximumValidity) ?? DEFAULT_MAXIMUM_VALIDITY_DAYS,
    };
  }
  return body;
}

/** Where a body path's error shows in the form (`hosts.0.listeners.1.certificate`). */
export function formPathOf(path: readonly PropertyKey[]): string | undefined {
  const [head, h, hostField, l, listenerField, tlsField] = path;
  switch (head) {
    case 'name':
    case 'description':
      return head;
    case 'accessLogging':
      return 'accessLogging';
    case 'mtls':
      return 'maximumValidity';
    case 'hosts':
      break;
    default:
      return undefined;
  }
  if (h === undefined) return 'hosts';
  const host = `hosts.${String(h)}`;
  if (hostField === 'hostnames') return `${host}.hostnames`;
  if (hostField !== 'listeners') return `${host}.name`;
  if (l === undefined) return `${host}.listeners`;
  const listener = `${host}.listeners.${String(l)}`;
  if (listenerField === 'protocol') return `${listener}.protocol`;
  if (listenerField !== 'tls') return `${listener}.port`;
  if (tlsField === 'serverCertificate') return `${listener}.certificate`;
  if (tlsField === 'clientValidation') {
    return path[6] === 'subjectAlternateNames'
      ? `${listener}.subjectAlternateNames`
      : `${listener}.caBundle`;
  }
  return `${listener}.tlsMode`;
}

/** `hosts[0].listeners[1].tls.serverCertificate` (a server field error path) as segments. */
export function parseServerPath(path: string): (string | number)[] {
  return path
    .split(/[.[\]]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const checked = IngressGatewayCreateSchema.pick({
  name: true,
  description: true,
  hosts: true,
  mtls: true,
});

/**
 * The resolver schema: the body the form would send, judged by the domain's create schema (so
 * a TLS listener without a server certificate is flagged before sending, like the BFF would),
 * every error at once and on its field.
 */
export const ingressGatewayFormSchema = z
  .custom<IngressGatewayFormValues>()
  .superRefine((values, ctx) => {
    const days = numberText(values.maximumValidity);
    const result = checked.safeParse({
      name: values.name,
      description: values.description,
      hosts: toHosts(values),
      ...(days !== undefined ? { mtls: { maximumValidity: days } } : {}),
    });
    if (result.success) return;
    for (const issue of result.error.issues) {
      const at = formPathOf(issue.path) ?? 'hosts';
      ctx.addIssue({
        code: 'custom',
        path: at.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        message: issue.message,
      });
    }
  });
