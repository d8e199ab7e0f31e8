import {
  IngressGatewayRouteTableCreateSchema,
  type IngressGatewayRouteRule,
  type IngressGatewayRouteTable,
  type IngressGatewayRouteTableCreate,
  type IngressGatewayRouteTableUpdate,
} from '@meshdeck/domain';
import { z } from 'zod';

export const ROUTE_TYPES = ['HTTP', 'TCP', 'TLS_PASSTHROUGH'] as const;

/** Number boxes hold text: empty stays empty (the field is left out), a typed 0 stays 0. */
export interface DestinationValues {
  virtualServiceId: string;
  weight: string;
  port: string;
}

export interface RouteRuleValues {
  type: (typeof ROUTE_TYPES)[number];
  /** The gateway host the rule applies to; '' for every host. */
  hostName: string;
  hostPort: string;
  path: string;
  pathType: '' | 'PREFIX';
  isGrpc: boolean;
  isHostRewriteEnabled: boolean;
  isPathRewriteEnabled: boolean;
  requestTimeoutInMs: string;
  destinations: DestinationValues[];
}

export interface IngressRouteTableFormValues {
  name: string;
  description: string;
  priority: string;
  routeRules: RouteRuleValues[];
}

export function emptyDestination(): DestinationValues {
  return { virtualServiceId: '', weight: '', port: '' };
}

export function emptyRouteRule(hostName = ''): RouteRuleValues {
  return {
    type: 'HTTP',
    hostName,
    hostPort: '',
    path: '/',
    pathType: 'PREFIX',
    isGrpc: false,
    isHostRewriteEnabled: false,
    isPathRewriteEnabled: false,
    requestTimeoutInMs: '',
    destinations: [emptyDestination()],
  };
}

export function emptyIngressRouteTableFormValues(hostName = ''): IngressRouteTableFormValues {
  return { name: '', description: '', priority: '', routeRules: [emptyRouteRule(hostName)] };
}

/** A number box's text; empty is undefined, anything but digits NaN (which the schema refuses). */
const num = (text: string): number | undefined =>
  text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;

const opt = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export function toRouteRules(values: Pick<IngressRouteTableFormValues, 'routeRules'>) {
  return values.routeRules.map((r): IngressGatewayRouteRule => {
    const host =
      r.hostName !== ''
        ? { ingressGatewayHost: { name: r.hostName, ...opt('port', num(r.hostPort)) } }
        : {};
    const destinations = r.destinations.map((d) => ({
      type: 'VIRTUAL_SERVICE' as const,
      virtualServiceId: d.virtualServiceId,
      ...opt('weight', num(d.weight)),
      ...opt('port', num(d.port)),
    }));
    if (r.type !== 'HTTP') return { type: r.type, ...host, destinations };
    return {
      type: 'HTTP',
      ...host,
      ...(r.path !== '' ? { path: r.path } : {}),
      ...(r.pathType !== '' ? { pathType: r.pathType } : {}),
      ...(r.isGrpc ? { isGrpc: true } : {}),
      ...(r.isHostRewriteEnabled ? { isHostRewriteEnabled: true } : {}),
      ...(r.isPathRewriteEnabled ? { isPathRewriteEnabled: true } : {}),
      ...opt('requestTimeoutInMs', num(r.requestTimeoutInMs)),
      destinations,
    };
  });
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

export function toIngressRouteTableFormValues(
  t: IngressGatewayRouteTable,
): IngressRouteTableFormValues {
  return {
    name: t.name,
    description: t.description ?? '',
    priority: text(t.priority),
    routeRules: t.routeRules.map((r) => ({
      type: r.type,
      hostName: r.ingressGatewayHost?.name ?? '',
      hostPort: text(r.ingressGatewayHost?.port),
      path: r.type === 'HTTP' ? (r.path ?? '') : '',
      pathType: r.type === 'HTTP' ? (r.pathType ?? '') : '',
      isGrpc: r.type === 'HTTP' ? (r.isGrpc ?? false) : false,
      isHostRewriteEnabled: r.type === 'HTTP' ? (r.isHostRewriteEnabled ?? false) : false,
      isPathRewriteEnabled: r.type === 'HTTP' ? (r.isPathRewriteEnabled ?? false) : false,
      requestTimeoutInMs: r.type === 'HTTP' ? text(r.requestTimeoutInMs) : '',
      destinations: r.destinations.map((d) => ({
        virtualServiceId: d.virtualServiceId,
        weight: text(d.weight),
        port: text(d.port),
      })),
    })),
  };
}

export function toIngressRouteTableCreate(
  values: IngressRouteTableFormValues,
  gateway: { id: string; compartmentId: string },
): IngressGatewayRouteTableCreate {
  return {
    compartmentId: gateway.compartmentId,
    ingressGatewayId: gateway.id,
    name: values.name,
    ...(values.description !== '' ? { description: values.description } : {}),
    ...opt('priority', num(values.priority)),
    routeRules: toRouteRules(values),
  };
}

/**
 * The PUT body: only what differs from the opened version; rules go whole. A priority cannot be
 * taken away (OCI has no "none" on update), so an emptied priority box is left out.
 */
export function toIngressRouteTableUpdate(
  values: IngressRouteTableFormValues,
  opened: IngressRouteTableFormValues,
): IngressGatewayRouteTableUpdate {
  const body: IngressGatewayRouteTableUpdate = {};
  if (values.description !== opened.description) body.description = values.description;
  const priority = num(values.priority);
  if (values.priority.trim() !== opened.priority.trim() && priority !== undefined) {
    body.priority = priority;
  }
  const rules = toRouteRules(values);
  if (JSON.stringify(rules) !== JSON.stringify(toRouteRules(opened))) body.routeRules = rules;
  return body;
}

const RULE_FIELDS: Record<string, string> = {
  path: 'path',
  pathType: 'pathType',
  isGrpc: 'isGrpc',
  isHostRewriteEnabled: 'isHostRewriteEnabled',
  isPathRewriteEnabled: 'isPathRewriteEnabled',
  requestTimeoutInMs: 'requestTimeoutInMs',
  type: 'type',
};

/** Where a body path's error shows in the form (`routeRules.0.destinations.1.weight`). */
export function formPathOf(path: readonly PropertyKey[]): string | undefined {
  const [head, i, field, j, destField] = path;
  if (head === 'name' || head === 'description' || head === 'priority') return head;
  if (head !== 'routeRules') return undefined;
  if (i === undefined) return 'routeRules';
  const rule = `routeRules.${String(i)}`;
  if (field === 'ingressGatewayHost')
    return path[3] === 'port' ? `${rule}.hostPort` : `${rule}.hostName`;
  if (field === 'destinations') {
    if (j === undefined) return `${rule}.destinations`;
    const dest = `${rule}.destinations.${String(j)}`;
    if (destField === 'weight' || destField === 'port') return `${dest}.${destField}`;
    return `${dest}.virtualServiceId`;
  }
  return typeof field === 'string' && field in RULE_FIELDS
    ? `${rule}.${RULE_FIELDS[field]}`
    : `${rule}.type`;
}

export function parseServerPath(path: string): (string | number)[] {
  return path
    .split(/[.[\]]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const checked = IngressGatewayRouteTableCreateSchema.pick({
  name: true,
  description: true,
  priority: true,
  routeRules: true,
});

/**
 * The resolver schema: the body the form would send, judged by the domain's create schema, plus
 * the gateway-host check the BFF makes (a rule's host must be one of the gateway's hosts).
 */
export function ingressRouteTableFormSchema(gatewayHosts: readonly string[]) {
  return z.custom<IngressRouteTableFormValues>().superRefine((values, ctx) => {
    const add = (at: string, message: string) =>
      ctx.addIssue({
        code: 'custom',
        path: at.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        message,
      });
    const result = checked.safeParse({
      name: values.name,
      description: values.description,
      ...opt('priority', num(values.priority)),
      routeRules: toRouteRules(values),
    });
    if (!result.success) {
      for (const issue of result.error.issues)
        add(formPathOf(issue.path) ?? 'routeRules', issue.message);
    }
    values.routeRules.forEach((r, i) => {
      if (r.hostName !== '' && !gatewayHosts.includes(r.hostName)) {
        add(`routeRules.${i}.hostName`, `'${r.hostName}' is not a host of this gateway`);
      }
    });
  });
}
