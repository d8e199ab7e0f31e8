import type { IngressGatewayRouteTable } from '../ingress-gateway-route-table/ingress-gateway-route-table.schema.ts';
import type { IngressGatewayRouteRule } from './route-rule.schema.ts';

export interface RouteMatch {
  tableId: string;
  tableName: string;
  ruleIndex: number;
  rule: IngressGatewayRouteRule;
}

function rulePath(rule: IngressGatewayRouteRule): string {
  return rule.type === 'HTTP' ? (rule.path ?? '/') : '/';
}

/** Prefix match on whole segments or exact text: `/api` matches `/api` and `/api/x`, not `/apix`. */
export function pathMatchesPrefix(prefix: string, path: string): boolean {
  if (prefix === '/' || prefix === path) return true;
  const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return path.startsWith(p);
}

/**
 * Which ingress route rule takes a request: tables by priority (lower number first), then within
 * equal priority the longest matching prefix, then the table name. Creation order never decides
 * (cases C1, C2).
 */
export function selectIngressRoute(
  tables: IngressGatewayRouteTable[],
  request: { host?: string; path: string; protocol?: 'HTTP' | 'TCP' | 'TLS_PASSTHROUGH' },
): RouteMatch | undefined {
  const candidates: (RouteMatch & { priority: number; prefixLength: number })[] = [];
  for (const table of tables) {
    table.routeRules.forEach((rule, ruleIndex) => {
      if (request.protocol && rule.type !== request.protocol) return;
      if (request.host && rule.ingressGatewayHost && rule.ingressGatewayHost.name !== request.host)
        return;
      const prefix = rulePath(rule);
      if (rule.type === 'HTTP' && !pathMatchesPrefix(prefix, request.path)) return;
      candidates.push({
        tableId: table.id,
        tableName: table.name,
        ruleIndex,
        rule,
        priority: table.priority ?? 0,
        prefixLength: prefix.length,
      });
    });
  }
  candidates.sort(
    (a, b) =>
      a.priority - b.priority ||
      b.prefixLength - a.prefixLength ||
      a.tableName.localeCompare(b.tableName) ||
      a.ruleIndex - b.ruleIndex,
  );
  const best = candidates[0];
  if (!best) return undefined;
  return {
    tableId: best.tableId,
    tableName: best.tableName,
    ruleIndex: best.ruleIndex,
    rule: best.rule,
  };
}
