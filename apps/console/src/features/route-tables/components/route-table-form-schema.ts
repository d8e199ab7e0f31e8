import {
  checkDuplicateDestinations,
  DescriptionSchema,
  PathSchema,
  PortSchema,
  PrioritySchema,
  TOTAL_WEIGHT_MESSAGE,
  VirtualServiceRouteTableCreateSchema,
  WeightSchema,
  type Finding,
  type VirtualServiceRouteRule,
  type VirtualServiceRouteTable,
  type VirtualServiceRouteTableCreate,
  type VirtualServiceRouteTableUpdate,
} from '@meshdeck/domain';
import { z } from 'zod';
import {
  numberOrUndefined,
  numberText,
  numberToText,
} from '../../../components/form/number-text.ts';
import { isDirty, toFormPath } from '../../../components/form/server-errors.ts';

const create = VirtualServiceRouteTableCreateSchema.shape;
export const RULE_TYPES = ['HTTP', 'TCP', 'TLS_PASSTHROUGH'] as const;

const DestinationRowSchema = z.object({
  virtualDeploymentId: z.string().min(1, { error: 'choose a deployment' }),
  weight: numberText(WeightSchema, { required: true, requiredMessage: 'enter a weight' }),
  port: numberText(PortSchema),
});

/**
 * A rule row: its fields, and beside them (an intersection, so these show together with every
 * field error, case F2) the path check with the domain's PathSchema (same message as the BFF,
 * case C5; HTTP only) and the total weight with the domain's message (case C4).
 */
const RuleFieldsSchema = z.object({
  type: z.enum(RULE_TYPES, { error: 'choose a type' }),
  path: z.string(),
  destinations: z
    .array(DestinationRowSchema)
    .min(1, { error: 'at least one destination' })
    .max(15, { error: 'at most 15 destinations' }),
});

const RuleRowSchema = z.intersection(
  RuleFieldsSchema,
  z
    .object({
      type: z.string(),
      path: z.string(),
      destinations: z.array(z.object({ weight: z.string() })),
    })
    .superRefine((rule, ctx) => {
      if (rule.type === 'HTTP' && rule.path !== '') {
        const parsed = PathSchema.safeParse(rule.path);
        if (!parsed.success) {
          ctx.addIssue({
            code: 'custom',
            path: ['path'],
            message: parsed.error.issues[0]?.message ?? 'invalid path',
          });
        }
      }
      const weights = rule.destinations.map((d) =>
        d.weight.trim() === '' ? NaN : Number(d.weight),
      );
      if (
        weights.length > 0 &&
        weights.every((w) => Number.isInteger(w) && w >= 0) &&
        weights.reduce((s, w) => s + w, 0) < 1
      ) {
        ctx.addIssue({ code: 'custom', path: ['destinations'], message: TOTAL_WEIGHT_MESSAGE });
      }
    }),
);

export const routeTableFormSchema = z.object({
  virtualServiceId: create.virtualServiceId,
  name: create.name,
  description: DescriptionSchema,
  priority: numberText(PrioritySchema),
  routeRules: z.array(RuleRowSchema).max(200, { error: 'at most 200 rules' }),
});
/** The form's values: what the inputs hold (numbers as text), as the fields alone describe them. */
export type RuleRow = z.infer<typeof RuleFieldsSchema>;
export type RouteTableFormValues = Omit<z.infer<typeof routeTableFormSchema>, 'routeRules'> & {
  routeRules: RuleRow[];
};

export function emptyRule(): RuleRow {
  return {
    type: 'HTTP',
    path: '/',
    destinations: [{ virtualDeploymentId: '', weight: '100', port: '' }],
  };
}

export function emptyRouteTableFormValues(virtualServiceId = ''): RouteTableFormValues {
  return { virtualServiceId, name: '', description: '', priority: '', routeRules: [emptyRule()] };
}

export function routeTableFormValues(rt: VirtualServiceRouteTable): RouteTableFormValues {
  return {
    virtualServiceId: rt.virtualServiceId,
    name: rt.name,
    description: rt.description ?? '',
    priority: numberToText(rt.priority),
    routeRules: rt.routeRules.map((r) => ({
      type: r.type,
      path: r.type === 'HTTP' ? (r.path ?? '') : '',
      destinations: r.destinations.map((d) => ({
        virtualDeploymentId: d.virtualDeploymentId,
        weight: numberToText(d.weight),
        port: numberToText(d.port),
      })),
    })),
  };
}

function toRules(values: RouteTableFormValues): VirtualServiceRouteRule[] {
  return values.routeRules.map((rule) => {
    const destinations = rule.destinations.map((d) => {
      const port = numberOrUndefined(d.port);
      return {
        type: 'VIRTUAL_DEPLOYMENT' as const,
        virtualDeploymentId: d.virtualDeploymentId,
        weight: Number(d.weight),
        ...(port !== undefined ? { port } : {}),
      };
    });
    if (rule.type === 'HTTP') {
      return {
        type: 'HTTP' as const,
        ...(rule.path !== '' ? { path: rule.path, pathType: 'PREFIX' as const } : {}),
        destinations,
      };
    }
    return { type: rule.type, destinations };
  });
}

/** The POST body (OCI CreateVirtualServiceRouteTableDetails); an empty priority is left out. */
export function toRouteTableCreate(
  values: RouteTableFormValues,
  compartmentId: string,
): VirtualServiceRouteTableCreate {
  const priority = numberOrUndefined(values.priority);
  return {
    compartmentId,
    virtualServiceId: values.virtualServiceId,
    name: values.name,
    ...(values.description !== '' ? { description: values.description } : {}),
    ...(priority !== undefined ? { priority } : {}),
    routeRules: toRules(values),
  };
}

export type RouteTableDirty = { [K in keyof RouteTableFormValues]?: unknown };

/** The PUT body: only what changed (the priority on update too, case C2); name and service never. */
export function toRouteTableUpdate(
  values: RouteTableFormValues,
  dirty: RouteTableDirty,
): VirtualServiceRouteTableUpdate {
  const body: VirtualServiceRouteTableUpdate = {};
  if (isDirty(dirty.description)) body.description = values.description;
  const priority = numberOrUndefined(values.priority);
  if (isDirty(dirty.priority) && priority !== undefined) body.priority = priority;
  if (isDirty(dirty.routeRules)) body.routeRules = toRules(values);
  return body;
}

/** RT001 and friends, judged before sending: the same deployment twice in one rule. */
export function routeTableWarnings(
  values: RouteTableFormValues,
  nameOf: (deploymentId: string) => string,
): Finding[] {
  const rules = values.routeRules.map((r) => ({
    type: 'TCP' as const,
    destinations: r.destinations
      .filter((d) => d.virtualDeploymentId !== '')
      .map((d) => ({ virtualDeploymentId: d.virtualDeploymentId, weight: 0 })),
  }));
  return checkDuplicateDestinations(rules, nameOf);
}

const FIELDS = new Set(['virtualServiceId', 'name', 'description', 'priority', 'routeRules']);

/** Where a server field error lands (`routeRules[0].destinations[1].weight` and so on). */
export function routeTableFormPathOf(serverPath: string): string | undefined {
  const path = toFormPath(serverPath);
  if (FIELDS.has(path)) return path;
  if (/^routeRules\.\d+\.(type|path|destinations)$/.test(path)) return path;
  if (/^routeRules\.\d+\.destinations\.\d+\.(virtualDeploymentId|weight|port)$/.test(path)) {
    return path;
  }
  return undefined;
}
