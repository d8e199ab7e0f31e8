import {
  DescriptionSchema,
  DnsHostnameSchema,
  PortSchema,
  VirtualDeploymentCreateSchema,
  type DeploymentListener,
  type VirtualDeployment,
  type VirtualDeploymentCreate,
  type VirtualDeploymentUpdate,
} from '@meshdeck/domain';
import { z } from 'zod';
import {
  numberOrUndefined,
  numberText,
  numberToText,
} from '../../../components/form/number-text.ts';
import { isDirty, toFormPath } from '../../../components/form/server-errors.ts';

const create = VirtualDeploymentCreateSchema.shape;
export const LISTENER_PROTOCOLS = ['HTTP', 'HTTP2', 'GRPC', 'TCP', 'TLS_PASSTHROUGH'] as const;
const timeout = z.int({ error: 'must be a whole number' }).min(0, { error: 'must be ≥ 0' });

/** A listener row: numbers kept as text (an emptied box stays empty, 0 stays 0). */
const ListenerRowSchema = z.object({
  protocol: z.enum(LISTENER_PROTOCOLS, { error: 'choose a protocol' }),
  port: numberText(PortSchema, { required: true, requiredMessage: 'enter a port' }),
  requestTimeoutInMs: numberText(timeout),
  idleTimeoutInMs: numberText(timeout),
});

const FieldsSchema = z.object({
  virtualServiceId: create.virtualServiceId,
  name: create.name,
  description: DescriptionSchema,
  discoveryType: z.enum(['DNS', 'DISABLED']),
  hostname: z.string(),
  listeners: z.array(ListenerRowSchema).max(10, { error: 'at most 10 listeners' }),
  accessLogging: z.boolean(),
});
export type VirtualDeploymentFormValues = z.infer<typeof FieldsSchema>;

/**
 * The fields plus the DNS-needs-a-hostname check, on its own side of an intersection so it shows
 * together with every other error (case F2), re-run whenever the discovery type changes.
 */
export const virtualDeploymentFormSchema = z.intersection(
  FieldsSchema,
  z.object({ discoveryType: z.string(), hostname: z.string() }).superRefine((v, ctx) => {
    if (v.discoveryType !== 'DNS') return;
    if (v.hostname.trim() === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['hostname'],
        message: 'DNS discovery needs a hostname',
      });
      return;
    }
    const parsed = DnsHostnameSchema.safeParse(v.hostname.trim());
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostname'],
        message: parsed.error.issues[0]?.message ?? 'must be a DNS hostname',
      });
    }
  }),
);

export function emptyVirtualDeploymentFormValues(
  virtualServiceId = '',
): VirtualDeploymentFormValues {
  return {
    virtualServiceId,
    name: '',
    description: '',
    discoveryType: 'DNS',
    hostname: '',
    listeners: [{ protocol: 'HTTP', port: '8080', requestTimeoutInMs: '', idleTimeoutInMs: '' }],
    accessLogging: false,
  };
}

/** A deployment's listeners, typed (the read model's intersection type leaves them unknown). */
export function listenersOf(vd: VirtualDeployment): DeploymentListener[] {
  return (vd.listeners ?? []) as DeploymentListener[];
}

export function virtualDeploymentFormValues(vd: VirtualDeployment): VirtualDeploymentFormValues {
  return {
    virtualServiceId: vd.virtualServiceId,
    name: vd.name,
    description: vd.description ?? '',
    discoveryType: vd.serviceDiscovery?.type === 'DNS' ? 'DNS' : 'DISABLED',
    hostname: vd.serviceDiscovery?.type === 'DNS' ? vd.serviceDiscovery.hostname : '',
    listeners: listenersOf(vd).map((l) => ({
      protocol: l.protocol,
      port: numberToText(l.port),
      requestTimeoutInMs: numberToText(l.requestTimeoutInMs),
      idleTimeoutInMs: numberToText(l.idleTimeoutInMs),
    })),
    accessLogging: vd.accessLogging?.isEnabled ?? false,
  };
}

function serviceDiscovery(values: VirtualDeploymentFormValues) {
  return values.discoveryType === 'DNS'
    ? { type: 'DNS' as const, hostname: values.hostname.trim() }
    : { type: 'DISABLED' as const };
}

function listeners(values: VirtualDeploymentFormValues) {
  return values.listeners.map((l) => {
    const requestTimeoutInMs = numberOrUndefined(l.requestTimeoutInMs);
    const idleTimeoutInMs = numberOrUndefined(l.idleTimeoutInMs);
    return {
      protocol: l.protocol,
      port: Number(l.port),
      ...(requestTimeoutInMs !== undefined ? { requestTimeoutInMs } : {}),
      ...(idleTimeoutInMs !== undefined ? { idleTimeoutInMs } : {}),
    };
  });
}

/** The POST body (OCI CreateVirtualDeploymentDetails). An empty listener list is sent as []. */
export function toVirtualDeploymentCreate(
  values: VirtualDeploymentFormValues,
  compartmentId: string,
): VirtualDeploymentCreate {
  return {
    compartmentId,
    virtualServiceId: values.virtualServiceId,
    name: values.name,
    ...(values.description !== '' ? { description: values.description } : {}),
    serviceDiscovery: serviceDiscovery(values),
    listeners: listeners(values),
    accessLogging: { isEnabled: values.accessLogging },
  };
}

export type VirtualDeploymentDirty = { [K in keyof VirtualDeploymentFormValues]?: unknown };

/** The PUT body: only what changed; the parent and the name are immutable and never sent. */
export function toVirtualDeploymentUpdate(
  values: VirtualDeploymentFormValues,
  dirty: VirtualDeploymentDirty,
): VirtualDeploymentUpdate {
  const body: VirtualDeploymentUpdate = {};
  if (isDirty(dirty.description)) body.description = values.description;
  if (isDirty(dirty.discoveryType) || isDirty(dirty.hostname)) {
    body.serviceDiscovery = serviceDiscovery(values);
  }
  if (isDirty(dirty.listeners)) body.listeners = listeners(values);
  if (isDirty(dirty.accessLogging)) body.accessLogging = { isEnabled: values.accessLogging };
  return body;
}

const FORM_FIELDS = new Set(['virtualServiceId', 'name', 'description', 'hostname', 'listeners']);

/** Where a server field error lands: `serviceDiscovery.hostname` → hostname, `listeners[0].port`. */
export function vdFormPathOf(serverPath: string): string | undefined {
  if (serverPath === 'compartmentId') return undefined;
  if (serverPath.startsWith('serviceDiscovery')) return 'hostname';
  const path = toFormPath(serverPath);
  if (/^listeners\.\d+\.(protocol|port|requestTimeoutInMs|idleTimeoutInMs)$/.test(path))
    return path;
  return FORM_FIELDS.has(path) ? path : undefined;
}
