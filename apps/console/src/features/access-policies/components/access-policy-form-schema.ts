import {
  AccessPolicyCreateSchema,
  type AccessPolicy,
  type AccessPolicyCreate,
  type AccessPolicyRule,
  type AccessPolicyTarget,
  type AccessPolicyUpdate,
} from '@meshdeck/domain';
import { z } from 'zod';

export const TARGET_TYPES = [
  'ALL_VIRTUAL_SERVICES',
  'VIRTUAL_SERVICE',
  'INGRESS_GATEWAY',
  'EXTERNAL_SERVICE',
] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export const TARGET_TYPE_LABELS: Record<TargetType, string> = {
  ALL_VIRTUAL_SERVICES: 'All virtual services',
  VIRTUAL_SERVICE: 'Virtual service',
  INGRESS_GATEWAY: 'Ingress gateway',
  EXTERNAL_SERVICE: 'External service',
};

export const EXTERNAL_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP'] as const;

/**
 * One side of a rule as the inputs hold it. Lists are comma-separated text, so an emptied list is
 * an empty box (and leaves the field out), and a port box holds text, never a silent 0.
 */
export interface TargetValues {
  type: TargetType;
  virtualServiceId: string;
  ingressGatewayId: string;
  hostnames: string;
  ipAddresses: string;
  ports: string;
  protocol: '' | (typeof EXTERNAL_PROTOCOLS)[number];
}

export interface AccessPolicyFormValues {
  name: string;
  description: string;
  rules: { source: TargetValues; destination: TargetValues }[];
}

export function emptyTarget(type: TargetType = 'ALL_VIRTUAL_SERVICES'): TargetValues {
  return {
    type,
    virtualServiceId: '',
    ingressGatewayId: '',
    hostnames: '',
    ipAddresses: '',
    ports: '',
    protocol: '',
  };
}

export function emptyAccessPolicyFormValues(): AccessPolicyFormValues {
  return { name: '', description: '', rules: [] };
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A port box's text as a number; text that is not a whole number becomes NaN (and fails). */
const port = (text: string): number => (/^\d+$/.test(text) ? Number(text) : Number.NaN);

export function toTarget(t: TargetValues): AccessPolicyTarget {
  switch (t.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return { type: 'ALL_VIRTUAL_SERVICES' };
    case 'VIRTUAL_SERVICE':
      return { type: 'VIRTUAL_SERVICE', virtualServiceId: t.virtualServiceId };
    case 'INGRESS_GATEWAY':
      return { type: 'INGRESS_GATEWAY', ingressGatewayId: t.ingressGatewayId };
    case 'EXTERNAL_SERVICE': {
      const hostnames = list(t.hostnames);
      const ipAddresses = list(t.ipAddresses);
      const ports = list(t.ports).map(port);
      return {
        type: 'EXTERNAL_SERVICE',
        ...(t.protocol !== '' ? { protocol: t.protocol } : {}),
        ...(hostnames.length > 0 ? { hostnames } : {}),
        ...(ipAddresses.length > 0 ? { ipAddresses } : {}),
        ...(ports.length > 0 ? { ports } : {}),
      };
    }
  }
}

export function fromTarget(t: AccessPolicyTarget): TargetValues {
  const base = emptyTarget(t.type);
  switch (t.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return base;
    case 'VIRTUAL_SERVICE':
      return { ...base, virtualServiceId: t.virtualServiceId };
    case 'INGRESS_GATEWAY':
      return { ...base, ingressGatewayId: t.ingressGatewayId };
    case 'EXTERNAL_SERVICE':
      return {
        ...base,
        hostnames: (t.hostnames ?? []).join(', '),
        ipAddresses: (t.ipAddresses ?? []).join(', '),
        ports: (t.ports ?? []).join(', '),
        protocol: t.protocol ?? '',
      };
  }
}

export function toRules(values: AccessPolicyFormValues): AccessPolicyRule[] {
  return values.rules.map((r) => ({
    action: 'ALLOW',
    source: toTarget(r.source),
    destination: toTarget(r.destination),
  }));
}

export function toAccessPolicyFormValues(policy: AccessPolicy): AccessPolicyFormValues {
  return {
    name: policy.name,
    description: policy.description ?? '',
    rules: policy.rules.map((r) => ({
      source: fromTarget(r.source),
      destination: fromTarget(r.destination),
    })),
  };
}

export function toAccessPolicyCreate(
  values: AccessPolicyFormValues,
  mesh: { meshId: string; compartmentId: string },
): AccessPolicyCreate {
  return {
    compartmentId: mesh.compartmentId,
    meshId: mesh.meshId,
    name: values.name,
    ...(values.description !== '' ? { description: values.description } : {}),
    rules: toRules(values),
  };
}

/**
 * The PUT body: only what differs from the version the form opened on. Rules go as a whole list
 * (OCI replaces the list), so removing the last rule sends `rules: []`.
 */
export function toAccessPolicyUpdate(
  values: AccessPolicyFormValues,
  opened: AccessPolicyFormValues,
): AccessPolicyUpdate {
  const body: AccessPolicyUpdate = {};
  if (values.description !== opened.description) body.description = values.description;
  const rules = toRules(values);
  if (JSON.stringify(rules) !== JSON.stringify(toRules(opened))) body.rules = rules;
  return body;
}

const TARGET_FIELDS = new Set([
  'virtualServiceId',
  'ingressGatewayId',
  'hostnames',
  'ipAddresses',
  'ports',
  'protocol',
  'type',
]);

/**
 * A body path (`rules.0.destination.hostnames.1`) as the form field that shows its error
 * (`rules.0.destination.hostnames`); undefined when no field shows it.
 */
export function formPathOf(path: readonly PropertyKey[]): string | undefined {
  const [head, index, side, field] = path;
  if (head === 'name' || head === 'description') return String(head);
  if (head !== 'rules') return undefined;
  if (index === undefined) return 'rules';
  if (side !== 'source' && side !== 'destination') return undefined;
  const name = typeof field === 'string' && TARGET_FIELDS.has(field) ? field : 'type';
  return `rules.${String(index)}.${side}.${name}`;
}

/** `rules[0].destination.hostnames[1]` (a server field error path) as path segments. */
export function parseServerPath(path: string): (string | number)[] {
  return path
    .split(/[.[\]]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const checked = AccessPolicyCreateSchema.pick({ name: true, description: true, rules: true });

/**
 * The form's resolver schema: the values become the body the BFF gets, which the domain's own
 * schema judges, so the form reports exactly what the server would, every error at once, each
 * on the field it belongs to.
 */
export const accessPolicyFormSchema = z
  .custom<AccessPolicyFormValues>()
  .superRefine((values, ctx) => {
    const result = checked.safeParse({
      name: values.name,
      description: values.description,
      rules: toRules(values),
    });
    if (result.success) return;
    for (const issue of result.error.issues) {
      const at = formPathOf(issue.path);
      ctx.addIssue({
        code: 'custom',
        path: (at ?? 'rules').split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        message: issue.message,
      });
    }
  });
