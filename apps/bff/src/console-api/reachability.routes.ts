import {
  ReachabilityQuerySchema,
  resolveReachabilityQuery,
  traceReachability,
  type FieldErrors,
} from '@meshdeck/domain';
import { Router } from 'express';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { Stores } from '../resources/resource-kind.ts';
import { loadMeshRecords, meshSnapshot } from './views.ts';

/**
 * "Can A talk to B?" (issue #7, docs/console-api.md): the verdict of evaluateEdge, the function
 * behind every edge of the graph, with its full trace. Query: `from` (a virtual service or
 * ingress gateway id, or `outside`), `to` (a virtual service id, or `external` with `host`,
 * `port`, `protocol`).
 */
export function reachabilityRouter(deps: { stores: Stores }): Router {
  const router = Router();
  router.get('/meshes/:meshId/reachability', (req, res) => {
    const mesh = deps.stores.Mesh.get(req.params.meshId);
    if (!mesh || mesh.lifecycleState === 'DELETED') {
      throw new NotFoundError(`mesh ${req.params.meshId} not found`);
    }
    const parsed = ReachabilityQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      // No prototype: a query key named `valueOf` must not reach Object.prototype.
      const fieldErrors = Object.create(null) as FieldErrors;
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || '_root';
        (fieldErrors[key] ??= []).push(issue.message);
      }
      throw new ValidationError(fieldErrors);
    }
    const snapshot = meshSnapshot(loadMeshRecords(deps.stores, mesh));
    const resolved = resolveReachabilityQuery(snapshot, parsed.data);
    if (!resolved.ok) throw new ValidationError(resolved.fieldErrors);
    res.json(traceReachability(snapshot, resolved.source, resolved.destination));
  });
  return router;
}
