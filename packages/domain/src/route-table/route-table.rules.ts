import type { Finding } from '../rules/finding.ts';
import type { VirtualServiceRouteRule } from '../routing/route-rule.schema.ts';

/**
 * RT001 (warning): the same deployment twice in one rule. Real configurations do this (the
 * Bookinfo tutorial lists reviews-v2 twice); the weights add up, so it is kept but flagged.
 */
export function checkDuplicateDestinations(
  rules: VirtualServiceRouteRule[],
  nameOf: (deploymentId: string) => string = (id) => id,
): Finding[] {
  const findings: Finding[] = [];
  rules.forEach((rule, r) => {
    const seen = new Set<string>();
    rule.destinations.forEach((d, i) => {
      if (seen.has(d.virtualDeploymentId)) {
        findings.push({
          code: 'RT001',
          severity: 'warning',
          message: `${nameOf(d.virtualDeploymentId)} appears more than once in rule ${r + 1}; its weights add up`,
          path: `routeRules[${r}].destinations[${i}]`,
        });
      }
      seen.add(d.virtualDeploymentId);
    });
  });
  return findings;
}
