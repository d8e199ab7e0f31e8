import type { AccessPolicyTarget } from '../access-policy/access-policy.schema.ts';
import type { ListenerTlsMode } from '../ingress-gateway/ingress-gateway.schema.ts';
import { effectiveMode, type MtlsMode } from '../mtls/mtls.ts';
import type { MeshSnapshot } from '../topology/snapshot.ts';
import { cidrContains, hostnameMatches } from './hostname.ts';

/**
 * The state of traffic on one edge (DESIGN "Access policies"):
 * - `mtls`: mutual TLS inside the mesh;
 * - `tls`: one-way TLS (an ingress listener in TLS mode, or HTTPS egress), not mesh mTLS;
 * - `plaintext`: allowed and unencrypted;
 * - `refused`: the destination is STRICT and the caller is outside the mesh;
 * - `denied`: no access policy allows it (default deny).
 */
export type EdgeState = 'mtls' | 'tls' | 'plaintext' | 'refused' | 'denied';
export const EDGE_STATES: readonly EdgeState[] = ['mtls', 'tls', 'plaintext', 'refused', 'denied'];

/** Who sends the traffic. */
export type EdgeSource =
  | { kind: 'virtualService'; id: string }
  | { kind: 'ingressGateway'; id: string }
  | { kind: 'outside'; name?: string };

/** Who receives it. */
export type EdgeDestination =
  | { kind: 'virtualService'; id: string }
  | { kind: 'external'; hostname?: string; ipAddress?: string; port?: number; protocol?: string };

/** A policy rule that allowed an edge. */
export interface MatchedRule {
  policyId: string;
  policyName: string;
  ruleIndex: number;
}

export interface EdgeVerdict {
  state: EdgeState;
  /** One sentence naming the rule and the mode that decided. */
  reason: string;
  /** Every ALLOW rule that matched (an edge allowed by two policies lists both). */
  matchedRules: MatchedRule[];
  /** The destination's effective mode, for virtual-service destinations. */
  destinationMode?: MtlsMode;
  /** Whether the destination's mode is inherited from the mesh. */
  destinationInherited?: boolean;
}

function targetMatchesSource(target: AccessPolicyTarget, source: EdgeSource): boolean {
  switch (target.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return source.kind === 'virtualService';
    case 'VIRTUAL_SERVICE':
      return source.kind === 'virtualService' && source.id === target.virtualServiceId;
    case 'INGRESS_GATEWAY':
      return source.kind === 'ingressGateway' && source.id === target.ingressGatewayId;
    case 'EXTERNAL_SERVICE':
      return false;
  }
}

/** Whether an EXTERNAL_SERVICE target covers a requested host/IP, port and protocol. */
export function externalTargetMatches(
  target: Extract<AccessPolicyTarget, { type: 'EXTERNAL_SERVICE' }>,
  dest: Extract<EdgeDestination, { kind: 'external' }>,
): boolean {
  if (target.protocol && dest.protocol && target.protocol !== dest.protocol.toUpperCase()) {
    return false;
  }
  if (target.ports && target.ports.length > 0 && dest.port !== undefined) {
    if (!target.ports.includes(dest.port)) return false;
  }
  if (dest.hostname !== undefined) {
    return (target.hostnames ?? []).some((p) => hostnameMatches(p, dest.hostname as string));
  }
  if (dest.ipAddress !== undefined) {
    return (target.ipAddresses ?? []).some((c) => cidrContains(c, dest.ipAddress as string));
  }
  return false;
}

function targetMatchesDestination(target: AccessPolicyTarget, dest: EdgeDestination): boolean {
  switch (target.type) {
    case 'ALL_VIRTUAL_SERVICES':
      return dest.kind === 'virtualService';
    case 'VIRTUAL_SERVICE':
      return dest.kind === 'virtualService' && dest.id === target.virtualServiceId;
    case 'INGRESS_GATEWAY':
      return false;
    case 'EXTERNAL_SERVICE':
      return dest.kind === 'external' && externalTargetMatches(target, dest);
  }
}

/** All ALLOW rules of the mesh that match a source and destination, in policy order. */
export function matchingRules(
  snapshot: MeshSnapshot,
  source: EdgeSource,
  dest: EdgeDestination,
): MatchedRule[] {
  const out: MatchedRule[] = [];
  const policies = [...snapshot.accessPolicies].sort((a, b) => a.name.localeCompare(b.name));
  for (const policy of policies) {
    policy.rules.forEach((rule, ruleIndex) => {
      if (
        rule.action === 'ALLOW' &&
        targetMatchesSource(rule.source, source) &&
        targetMatchesDestination(rule.destination, dest)
      ) {
        out.push({ policyId: policy.id, policyName: policy.name, ruleIndex });
      }
    });
  }
  return out;
}

/** Display name of an edge end, for reasons. */
export function endpointName(snapshot: MeshSnapshot, end: EdgeSource | EdgeDestination): string {
  switch (end.kind) {
    case 'virtualService':
      return snapshot.virtualServices.find((v) => v.id === end.id)?.name ?? end.id;
    case 'ingressGateway':
      return snapshot.ingressGateways.find((g) => g.id === end.id)?.name ?? end.id;
    case 'outside':
      return end.name ?? 'a caller outside the mesh';
    case 'external': {
      const host = end.hostname ?? end.ipAddress ?? 'external service';
      return end.port !== undefined ? `${host}:${end.port}` : host;
    }
  }
}

function describeRules(rules: MatchedRule[]): string {
  return rules.map((r) => `${r.policyName} rule ${r.ruleIndex + 1}`).join(' and ');
}

/**
 * The one function that decides an edge's state and its reason. The graph, the side panel, the
 * "can A talk to B?" view and the API all call it (case B1: canvas and panel never disagree).
 *
 * The receiving service's effective mode decides what traffic it accepts (DESIGN table); access
 * policies decide whether traffic inside the mesh may flow at all, denying by default (case D1).
 * Callers outside the mesh are not subject to access policies, only to the mode (cases A8, A9).
 */
export function evaluateEdge(
  snapshot: MeshSnapshot,
  source: EdgeSource,
  dest: EdgeDestination,
): EdgeVerdict {
  const from = endpointName(snapshot, source);
  const to = endpointName(snapshot, dest);
  const minimum = snapshot.mesh.mtls.minimum;

  if (dest.kind === 'virtualService') {
    const vs = snapshot.virtualServices.find((v) => v.id === dest.id);
    if (!vs) {
      return {
        state: 'denied',
        reason: `${to} is not a virtual service of this mesh`,
        matchedRules: [],
      };
    }
    const mode = effectiveMode(vs.declaredMode, minimum);
    const modeText = vs.declaredMode ? mode : `${mode} (inherited from mesh)`;
    const modeFacts = { destinationMode: mode, destinationInherited: vs.declaredMode === null };

    if (source.kind === 'outside') {
      if (mode === 'STRICT') {
        return {
          state: 'refused',
          reason: `${to} is ${modeText}: only mTLS from inside the mesh is accepted, so ${from} is refused`,
          matchedRules: [],
          ...modeFacts,
        };
      }
      return {
        state: 'plaintext',
        reason:
          mode === 'PERMISSIVE'
            ? `${to} is ${modeText}: plaintext from outside the mesh is allowed`
            : `${to} is ${modeText}: all traffic is unencrypted`,
        matchedRules: [],
        ...modeFacts,
      };
    }

    const rules = matchingRules(snapshot, source, dest);
    if (rules.length === 0) {
      return {
        state: 'denied',
        reason: `no access policy allows ${from} → ${to} (default deny)`,
        matchedRules: [],
        ...modeFacts,
      };
    }
    if (mode === 'DISABLED') {
      return {
        state: 'plaintext',
        reason: `allowed by ${describeRules(rules)}; ${to} is ${modeText}, so traffic is unencrypted`,
        matchedRules: rules,
        ...modeFacts,
      };
    }
    return {
      state: 'mtls',
      reason: `allowed by ${describeRules(rules)}; ${to} is ${modeText}, so traffic inside the mesh uses mTLS`,
      matchedRules: rules,
      ...modeFacts,
    };
  }

  if (source.kind === 'outside') {
    return {
      state: 'denied',
      reason: `${from} → ${to} does not pass through the mesh`,
      matchedRules: [],
    };
  }
  const rules = matchingRules(snapshot, source, dest);
  if (rules.length === 0) {
    return {
      state: 'denied',
      reason: `no access policy allows ${from} → ${to} (egress is denied by default)`,
      matchedRules: [],
    };
  }
  const https = dest.protocol?.toUpperCase() === 'HTTPS';
  return {
    state: https ? 'tls' : 'plaintext',
    reason: `allowed by ${describeRules(rules)}; traffic leaves the mesh ${
      https ? 'over the application’s own TLS' : 'without mesh mTLS'
    }`,
    matchedRules: rules,
  };
}

/** The state of traffic from outside into an ingress gateway listener: its own TLS mode decides. */
export function listenerEdgeState(mode: ListenerTlsMode | undefined): EdgeState {
  switch (mode) {
    case 'MUTUAL_TLS':
      return 'mtls';
    case 'TLS':
      return 'tls';
    default:
      return 'plaintext';
  }
}
