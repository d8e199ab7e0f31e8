import { z } from 'zod';
import type { FieldErrors } from '../api-error.ts';
import type { AccessPolicyTarget } from '../access-policy/access-policy.schema.ts';
import { effectiveMode, type MtlsMode } from '../mtls/mtls.ts';
import type { MeshSnapshot } from '../topology/snapshot.ts';
import { isHostname, isIpv4 } from './hostname.ts';
import {
  endpointName,
  evaluateEdge,
  externalTargetMatches,
  type EdgeDestination,
  type EdgeSource,
  type EdgeState,
  type MatchedRule,
} from './edge-state.ts';

/** One access-policy rule as the trace saw it: did it cover the source, the destination, both? */
export interface TraceRule {
  policyId: string;
  policyName: string;
  ruleIndex: number;
  sourceMatches: boolean;
  destinationMatches: boolean;
  /** Both ends matched: this rule allows the traffic. */
  matched: boolean;
  /** "source is ALL_VIRTUAL_SERVICES; destination orders is not inventory" */
  explanation: string;
}

/** The answer to "can A talk to B?": the verdict of evaluateEdge plus every fact behind it. */
export interface ReachabilityTrace {
  /** The same state the graph draws for this edge (evaluateEdge). */
  state: EdgeState;
  /** Whether traffic flows at all (mtls, tls, plaintext). */
  allowed: boolean;
  reason: string;
  sourceName: string;
  destinationName: string;
  /** For an external destination: what was asked. */
  external?: { hostname?: string; ipAddress?: string; port?: number; protocol?: string };
  /** Whether access policies decide this traffic (not for callers outside the mesh). */
  policiesApply: boolean;
  /** Every ALLOW rule that matched (two policies allowing it: both listed). */
  matchedRules: MatchedRule[];
  /** Every rule of the mesh, each with why it did or did not match; empty when policies do not apply. */
  rules: TraceRule[];
  meshMinimum: MtlsMode;
  /** The destination's effective mode and whether it is inherited (virtual-service destinations). */
  destinationMode?: MtlsMode;
  destinationInherited?: boolean;
  /** Whether a caller outside the mesh would be refused by the destination (STRICT). */
  outsideCallerRefused?: boolean;
  /** The trace in order, one sentence a step. */
  steps: string[];
}

function describeTarget(snapshot: MeshSnapshot, t: AccessPolicyTarget): string {
  switch (t.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return 'all virtual services';
    case 'VIRTUAL_SERVICE':
      return `virtual service ${endpointName(snapshot, { kind: 'virtualService', id: t.virtualServiceId })}`;
    case 'INGRESS_GATEWAY':
      return `ingress gateway ${endpointName(snapshot, { kind: 'ingressGateway', id: t.ingressGatewayId })}`;
    case 'EXTERNAL_SERVICE': {
      const where = [...(t.hostnames ?? []), ...(t.ipAddresses ?? [])].join(', ');
      const ports = t.ports && t.ports.length > 0 ? ` ports ${t.ports.join(', ')}` : ' any port';
      return `external ${t.protocol ?? ''} ${where}${ports}`.replace(/\s+/g, ' ');
    }
  }
}

function sourceMatches(t: AccessPolicyTarget, source: EdgeSource): boolean {
  switch (t.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return source.kind === 'virtualService';
    case 'VIRTUAL_SERVICE':
      return source.kind === 'virtualService' && source.id === t.virtualServiceId;
    case 'INGRESS_GATEWAY':
      return source.kind === 'ingressGateway' && source.id === t.ingressGatewayId;
    case 'EXTERNAL_SERVICE':
      return false;
  }
}

function destinationMatches(t: AccessPolicyTarget, dest: EdgeDestination): boolean {
  switch (t.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return dest.kind === 'virtualService';
    case 'VIRTUAL_SERVICE':
      return dest.kind === 'virtualService' && dest.id === t.virtualServiceId;
    case 'INGRESS_GATEWAY':
      return false;
    case 'EXTERNAL_SERVICE':
      return dest.kind === 'external' && externalTargetMatches(t, dest);
  }
}

/**
 * "Can A talk to B?" (issue #7): the verdict comes from evaluateEdge, the one function behind
 * every edge of the graph (case B1), so the trace can never disagree with the canvas. The trace
 * adds what the verdict rests on: each rule of the mesh and whether it matched (default deny,
 * case D1), the destination's effective mode and whether it is inherited, whether a caller
 * outside the mesh would be refused, and for an external destination the host and port asked.
 */
export function traceReachability(
  snapshot: MeshSnapshot,
  source: EdgeSource,
  dest: EdgeDestination,
): ReachabilityTrace {
  const verdict = evaluateEdge(snapshot, source, dest);
  const sourceName = endpointName(snapshot, source);
  const destinationName = endpointName(snapshot, dest);
  const meshMinimum = snapshot.mesh.mtls.minimum;
  const policiesApply = source.kind !== 'outside';
  const steps: string[] = [];

  const rules: TraceRule[] = [];
  if (policiesApply) {
    const policies = [...snapshot.accessPolicies].sort((a, b) => a.name.localeCompare(b.name));
    for (const policy of policies) {
      policy.rules.forEach((rule, ruleIndex) => {
        const s = sourceMatches(rule.source, source);
        const d = destinationMatches(rule.destination, dest);
        const src = describeTarget(snapshot, rule.source);
        const dst = describeTarget(snapshot, rule.destination);
        rules.push({
          policyId: policy.id,
          policyName: policy.name,
          ruleIndex,
          sourceMatches: s,
          destinationMatches: d,
          matched: s && d,
          explanation: `source ${src} ${s ? 'covers' : 'does not cover'} ${sourceName}; destination ${dst} ${
            d ? 'covers' : 'does not cover'
          } ${destinationName}`,
        });
      });
    }
    const matched = rules.filter((r) => r.matched);
    steps.push(
      `${rules.length} access-policy rule${rules.length === 1 ? '' : 's'} checked: ${
        matched.length === 0
          ? 'none allows it (default deny)'
          : `${matched.map((r) => `${r.policyName} rule ${r.ruleIndex + 1}`).join(' and ')} allow${
              matched.length === 1 ? 's' : ''
            } it`
      }`,
    );
  } else {
    steps.push(
      `${sourceName} is outside the mesh: access policies do not apply, only the destination's mode`,
    );
  }

  let destinationMode: MtlsMode | undefined;
  let destinationInherited: boolean | undefined;
  let outsideCallerRefused: boolean | undefined;
  let external: ReachabilityTrace['external'];
  if (dest.kind === 'virtualService') {
    const vs = snapshot.virtualServices.find((v) => v.id === dest.id);
    if (vs) {
      destinationMode = effectiveMode(vs.declaredMode, meshMinimum);
      destinationInherited = vs.declaredMode === null;
      outsideCallerRefused = destinationMode === 'STRICT';
      steps.push(
        `${destinationName} is ${destinationMode}${
          destinationInherited ? ` (inherited from the mesh minimum ${meshMinimum})` : ' (declared)'
        }`,
      );
      steps.push(
        outsideCallerRefused
          ? `a caller outside the mesh is refused by ${destinationName}`
          : `a caller outside the mesh reaches ${destinationName} in plaintext`,
      );
    }
  } else {
    external = {
      ...(dest.hostname !== undefined ? { hostname: dest.hostname } : {}),
      ...(dest.ipAddress !== undefined ? { ipAddress: dest.ipAddress } : {}),
      ...(dest.port !== undefined ? { port: dest.port } : {}),
      ...(dest.protocol !== undefined ? { protocol: dest.protocol.toUpperCase() } : {}),
    };
    steps.push(
      `${destinationName} is outside the mesh: the mesh's mTLS mode does not cover it${
        dest.port === undefined ? '; no port given, so any port the rule names counts' : ''
      }`,
    );
  }
  steps.push(`verdict: ${verdict.state} — ${verdict.reason}`);

  return {
    state: verdict.state,
    allowed: verdict.state === 'mtls' || verdict.state === 'tls' || verdict.state === 'plaintext',
    reason: verdict.reason,
    sourceName,
    destinationName,
    ...(external ? { external } : {}),
    policiesApply,
    matchedRules: verdict.matchedRules,
    rules,
    meshMinimum,
    ...(destinationMode !== undefined ? { destinationMode } : {}),
    ...(destinationInherited !== undefined ? { destinationInherited } : {}),
    ...(outsideCallerRefused !== undefined ? { outsideCallerRefused } : {}),
    steps,
  };
}

/** The source value that means "a caller outside the mesh". */
export const REACHABILITY_OUTSIDE = 'outside';
/** The destination value that means "an external service"; host (and port) say which. */
export const REACHABILITY_EXTERNAL = 'external';

/**
 * The question as a deep link or `/api` query: `from` is a virtual service or ingress gateway id
 * or `outside`; `to` a virtual service id or `external` with `host` (hostname or IPv4), `port`
 * and `protocol`. All text, as query strings are; resolveReachabilityQuery checks the rest.
 */
export const ReachabilityQuerySchema = z.object({
  from: z
    .string({ error: 'choose a source' })
    .trim()
    .min(1, { error: 'choose a source' })
    .max(255, { error: 'source is too long' }),
  to: z
    .string({ error: 'choose a destination' })
    .trim()
    .min(1, { error: 'choose a destination' })
    .max(255, { error: 'destination is too long' }),
  host: z.string().trim().max(255, { error: 'host is at most 255 characters' }).optional(),
  port: z
    .string()
    .trim()
    .regex(/^$|^\d{1,5}$/, { error: 'port must be a whole number from 1 to 65535' })
    .optional(),
  protocol: z
    .enum(['', 'HTTP', 'HTTPS', 'TCP'], { error: 'protocol must be HTTP, HTTPS or TCP' })
    .optional(),
});
export type ReachabilityQuery = z.infer<typeof ReachabilityQuerySchema>;

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/** Turns a parsed query into the ends evaluateEdge takes, or says what is wrong with it. */
export function resolveReachabilityQuery(
  snapshot: MeshSnapshot,
  query: ReachabilityQuery,
):
  | { ok: true; source: EdgeSource; destination: EdgeDestination }
  | { ok: false; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  let source: EdgeSource | undefined;
  if (query.from === REACHABILITY_OUTSIDE) source = { kind: 'outside' };
  else if (snapshot.virtualServices.some((v) => v.id === query.from)) {
    source = { kind: 'virtualService', id: query.from };
  } else if (snapshot.ingressGateways.some((g) => g.id === query.from)) {
    source = { kind: 'ingressGateway', id: query.from };
  } else {
    fieldErrors['from'] = ['no virtual service or ingress gateway of this mesh has that id'];
  }

  let destination: EdgeDestination | undefined;
  const host = query.host ?? '';
  const portText = query.port ?? '';
  const port = portText === '' ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535)) {
    fieldErrors['port'] = ['port must be a whole number from 1 to 65535'];
  }
  if (query.to === REACHABILITY_EXTERNAL) {
    if (host === '') fieldErrors['host'] = ['an external destination needs a host'];
    else if (IPV4.test(host) ? !isIpv4(host) : !isHostname(host)) {
      fieldErrors['host'] = ['host must be a hostname or an IPv4 address'];
    }
    destination = {
      kind: 'external',
      ...(IPV4.test(host) ? { ipAddress: host } : { hostname: host }),
      ...(port !== undefined ? { port } : {}),
      ...(query.protocol ? { protocol: query.protocol } : {}),
    };
  } else if (snapshot.virtualServices.some((v) => v.id === query.to)) {
    destination = { kind: 'virtualService', id: query.to };
  } else {
    fieldErrors['to'] = ['no virtual service of this mesh has that id; choose external for a host'];
  }
  if (Object.keys(fieldErrors).length > 0 || !source || !destination) {
    return { ok: false, fieldErrors };
  }
  return { ok: true, source, destination };
}
