import { Router, type Request, type Response } from 'express';
import type { Clock } from '../clock.ts';
import { inTransaction, type Db } from '../db/open-db.ts';
import {
  ConflictError,
  InvalidParameterError,
  NotFoundError,
  PreconditionFailedError,
} from '../errors.ts';
import { queryValue, readLimit, readSortOrder, requiredQueryValue } from '../http/parse.ts';
import {
  OPERATION_STATUSES,
  TERMINAL_STATUSES,
  workRequestEtag,
  type OperationStatus,
  type WorkRequest,
  type WorkRequestEntryKind,
  type WorkRequestListQuery,
  type WorkRequestRepository,
} from './work-requests.repository.ts';

/** `retry-after` on a running work request (spec §8.9: integer seconds). */
const POLL_AFTER_SECONDS = 1;

/** Statuses a cancel is accepted in. */
const CANCELLABLE: readonly OperationStatus[] = ['ACCEPTED', 'IN_PROGRESS', 'WAITING'];

/**
 * `/workRequests` (spec §2.3): every OCI write has one, moved along by the lifecycle job
 * (resource-lifecycle.ts). Only creates can be cancelled — updates, deletes and moves are applied
 * when accepted, so there is nothing to call off; they answer 409.
 */
export function workRequestsRouter(deps: {
  db: Db;
  clock: Clock;
  workRequests: WorkRequestRepository;
}): Router {
  const { workRequests } = deps;
  const router = Router();
  const find = (id: string): WorkRequest => {
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
    const wr = find(req.params.id);
    res.setHeader('etag', workRequestEtag(wr));
    if (!TERMINAL_STATUSES.includes(wr.status)) {
      res.setHeader('retry-after', String(POLL_AFTER_SECONDS));
    }
    res.json(wr);
  });

  const entries = (kind: WorkRequestEntryKind) => (req: Request, res: Response) => {
    const wr = find(req.params.id as string);
    const sortBy = queryValue(req.query, 'sortBy');
    if (sortBy !== undefined && sortBy !== 'timestamp') {
      throw new InvalidParameterError('sortBy', 'must be timestamp');
    }
    const page = queryValue(req.query, 'page');
    const result = workRequests.entries(wr.id, kind, {
      sortOrder: readSortOrder(req.query, 'DESC'),
      limit: readLimit(req.query),
      ...(page !== undefined ? { page } : {}),
    });
    if (result.nextPage) res.setHeader('opc-next-page', result.nextPage);
    res.json({ items: result.items });
  };
  router.get('/workRequests/:id/errors', entries('ERROR'));
  router.get('/workRequests/:id/logs', entries('LOG'));

  router.delete('/workRequests/:id', (req, res) => {
    inTransaction(deps.db, () => cancel(req));
    res.status(202).end();
  });

  const cancel = (req: Request): void => {
    const wr = find(req.params.id as string);
    const ifMatch = req.get('if-match');
    if (
      ifMatch !== undefined &&
      ifMatch !== '*' &&
      ifMatch.replace(/"/g, '') !== workRequestEtag(wr)
    ) {
      throw new PreconditionFailedError('the work request changed since it was read (if-match)');
    }
    if (!CANCELLABLE.includes(wr.status)) {
      throw new ConflictError(`work request ${wr.id} is ${wr.status} and cannot be cancelled`);
    }
    if (!wr.operationType.startsWith('CREATE_')) {
      throw new ConflictError(
        `work request ${wr.id} (${wr.operationType}) was applied when accepted and cannot be cancelled`,
      );
    }
    workRequests.update(wr.id, { status: 'CANCELING' });
    workRequests.log(wr.id, 'cancel requested', deps.clock.now().toISOString());
  };

  return router;
}
