import { Router } from 'express';
import { InvalidParameterError } from '../errors.ts';
import { queryValue, readLimit } from '../http/parse.ts';
import type { AuditFilter, AuditRepository } from './audit.repository.ts';

function readTime(query: unknown, name: 'since' | 'until'): string | undefined {
  const text = queryValue(query, name);
  if (text === undefined) return undefined;
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time.getTime())) {
    throw new InvalidParameterError(name, 'must be an ISO date or time, e.g. 2025-03-01T12:00:00Z');
  }
  return time.toISOString();
}

/**
 * `GET /api/audit?actor&kind&action&meshId&resourceId&outcome&via&since&until&limit`: newest
 * first (docs/console-api.md).
 */
export function auditRouter(audit: AuditRepository): Router {
  const router = Router();
  router.get('/audit', (req, res) => {
    const outcome = queryValue(req.query, 'outcome');
    if (outcome !== undefined && outcome !== 'SUCCEEDED' && outcome !== 'REFUSED') {
      throw new InvalidParameterError('outcome', 'must be SUCCEEDED or REFUSED');
    }
    const via = queryValue(req.query, 'via');
    if (via !== undefined && !['console', 'api', 'import', 'job', 'cli'].includes(via)) {
      throw new InvalidParameterError('via', 'must be console, api, import, job or cli');
    }
    const filter: AuditFilter = { limit: readLimit(req.query) };
    for (const key of ['actor', 'kind', 'action', 'meshId', 'resourceId'] as const) {
      const value = queryValue(req.query, key);
      if (value !== undefined) filter[key] = value;
    }
    if (outcome !== undefined) filter.outcome = outcome;
    if (via !== undefined) filter.via = via as AuditFilter['via'];
    const since = readTime(req.query, 'since');
    const until = readTime(req.query, 'until');
    if (since !== undefined) filter.since = since;
    if (until !== undefined) filter.until = until;
    res.json({ items: audit.list(filter) });
  });
  return router;
}
