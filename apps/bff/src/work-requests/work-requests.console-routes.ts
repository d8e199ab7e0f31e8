import { Router } from 'express';
import { ValidationError } from '../errors.ts';
import type { WorkRequestRepository } from './work-requests.repository.ts';

const MAX_ITEMS = 50;

/**
 * `GET /api/work-requests?resourceId=…`: the work requests that touched one resource, newest
 * first, each with its log and errors — what the console shows on a resource's page.
 */
export function consoleWorkRequestsRouter(workRequests: WorkRequestRepository): Router {
  const router = Router();
  router.get('/work-requests', (req, res) => {
    const resourceId = req.query.resourceId;
    if (typeof resourceId !== 'string' || resourceId.trim() === '' || resourceId.length > 255) {
      throw new ValidationError({ resourceId: ['resourceId is required'] });
    }
    const { items } = workRequests.list({ resourceId, sortOrder: 'DESC', limit: MAX_ITEMS });
    const entries = (id: string, kind: 'LOG' | 'ERROR') =>
      workRequests.entries(id, kind, { sortOrder: 'ASC', limit: 100 }).items;
    res.json({
      items: items.map((wr) => ({
        ...wr,
        logs: entries(wr.id, 'LOG'),
        errors: entries(wr.id, 'ERROR'),
      })),
    });
  });
  return router;
}
