import { readFileSync } from 'node:fs';
import {
  AccessPolicyCreateSchema,
  IngressGatewayCreateSchema,
  IngressGatewayRouteTableCreateSchema,
  MeshCreateSchema,
  VirtualDeploymentCreateSchema,
  VirtualServiceCreateSchema,
  VirtualServiceRouteTableCreateSchema,
} from '@meshdeck/domain';
import {
  MANAGED_CA,
  resolvePlanBody,
  type ImportPlan,
  type PlanItem,
  type ResourceKind,
} from './plan-import.ts';

/** Test-only helpers: fixture loading and an applier stand-in without a store. */

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

const SCHEMAS = {
  Mesh: MeshCreateSchema,
  VirtualService: VirtualServiceCreateSchema,
  VirtualDeployment: VirtualDeploymentCreateSchema,
  VirtualServiceRouteTable: VirtualServiceRouteTableCreateSchema,
  IngressGateway: IngressGatewayCreateSchema,
  IngressGatewayRouteTable: IngressGatewayRouteTableCreateSchema,
  AccessPolicy: AccessPolicyCreateSchema,
} as const;

export const MESHDECK_CA_ID = 'ocid1.certificateauthority.oc1..meshdeck';

/**
 * Does what the applier does, minus the store: in order, resolves each body against the ids
 * given so far, validates it with the domain Create schema (throws when invalid) and gives the
 * item a new id.
 */
export function applyPlan(plan: ImportPlan): {
  idOf: Map<string, string>;
  bodies: Map<string, Record<string, unknown>>;
} {
  const idOf = new Map<string, string>();
  const bodies = new Map<string, Record<string, unknown>>();
  plan.items.forEach((item, i) => {
    const body = resolvePlanBody(item, (key) =>
      key === MANAGED_CA ? MESHDECK_CA_ID : idOf.get(key),
    );
    SCHEMAS[item.kind].parse(body);
    idOf.set(item.key, `ocid1.new${item.kind.toLowerCase()}.oc1..${i}`);
    bodies.set(item.key, body as Record<string, unknown>);
  });
  return { idOf, bodies };
}

export function countByKind(items: PlanItem[]): Partial<Record<ResourceKind, number>> {
  const counts: Partial<Record<ResourceKind, number>> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}

export function itemOf<K extends ResourceKind>(
  plan: ImportPlan,
  key: string,
  kind: K,
): Extract<PlanItem, { kind: K }> {
  const item = plan.items.find((i) => i.key === key);
  if (!item || item.kind !== kind) throw new Error(`no ${kind} item ${key}`);
  return item as Extract<PlanItem, { kind: K }>;
}
