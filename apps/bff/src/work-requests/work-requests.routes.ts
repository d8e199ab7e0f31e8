import { Router } from 'express';
import { ConflictError, InvalidParameterError, NotFoundError } from '../errors.ts';
import { queryValue, readLimit, readSortOrder, requiredQueryValue } from '../http/parse.ts';
import {
  OPERATION_STATUSES,
  type OperationStatus,
  type WorkRequestListQuery,
  type WorkRequestRepository,
} from './work-requests.repository.ts';

/**
 * `/workRequests`: every write records one. Writes finish inside their own request for now, so
 * every work request is already SUCCEEDED with `timeFinished` set (what the SDK waiter polls for),
 * has no errors or logs, and cannot be cancelled.
 */
export function workRequestsRouter(workRequests: WorkRequestRepository): Router {
  const router = Router();
  const find = (id: string) => {
    const wr = workRequests.get(id);
    if (!wr) throw new NotFoundError(`work request ${id} not found`);
    return wr;
  };

  router.get('/workRequests', (req, res) => {
    const query: WorkRequestListQuery = {
      compartmentId: requiredQueryValue(req.query, 'compartmentId'),
      limit: readLimit(req.query),
      sortOrder: readSortOrder(req.query, 'DESC'),
    };
    const sortBy = queryValue(req.query, 'sortBy');
    if (sortBy !== undefined && sortBy !== 'timeAccepted') {
      throw new InvalidParameterError('sortBy', 'must be timeAccepted');
    }
    const workRequestId = queryValue(req.query, 'workRequestId');
    if (workRequestId !== undefined) query.workRequestId = workRequestId;
    const resourceId = queryValue(req.query, 'resourceId');
    if (resourceId !== undefined) query.resourceId = resourceId;
    const status = queryValue(req.query, 'operationStatus');
    if (status !== undefined) {
      if (!(OPERATION_STATUSES as readonly string[]).includes(status)) {
        throw new InvalidParameterError(
          'operationStatus',
          `must be one of ${OPERATION_STATUSES.join(', ')}`,
        );
      }
      query.operationStatus = status as OperationStatus;
    }
    const page = queryValue(req.query, 'page');
    if (page !== undefined) query.page = page;
    const result = workRequests.list(query);
    if (result.nextPage) res.setHeader('opc-next-page', result.nextPage);
    res.json({ items: result.items });
  });

  router.get('/workRequests/:id', (req, res) => {
    res.json(find(req.params.id));
  });

  router.get('/workRequests/:id/errors', (req, res) => {
    find(req.params.id);
    res.json({ items: [] });
  });

  router.get('/workRequests/:id/logs', (req, res) => {
    find(req.params.id);
    res.json({ items: [] });
  });

  router.delete('/workRequests/:id', (req) => {
    const wr = find(req.params.id);
    throw new ConflictError(`work request ${wr.id} is ${wr.status} and cannot be cancelled`);
  });

  return router;
}
