import { Router } from 'express';
import { NotFoundError } from '../errors.ts';
import { queryValue, readLimit } from '../http/parse.ts';
import type { JobQueue, JobStatus } from './job-queue.ts';
import { InvalidParameterError } from '../errors.ts';

const STATUSES: readonly JobStatus[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED'];

/** `GET /api/jobs` and `GET /api/jobs/:id` (docs/decisions/003-jobs.md "Console"). */
export function jobsRouter(jobs: JobQueue): Router {
  const router = Router();

  router.get('/jobs', (req, res) => {
    const status = queryValue(req.query, 'status');
    if (status !== undefined && !STATUSES.includes(status as JobStatus)) {
      throw new InvalidParameterError('status', `status must be one of ${STATUSES.join(', ')}`);
    }
    const type = queryValue(req.query, 'type');
    const subjectId = queryValue(req.query, 'subjectId');
    res.json({
      items: jobs.list({
        ...(type ? { type } : {}),
        ...(status ? { status: status as JobStatus } : {}),
        ...(subjectId ? { subjectId } : {}),
        limit: readLimit(req.query),
      }),
    });
  });

  router.get('/jobs/:id', (req, res) => {
    const job = jobs.get(req.params.id);
    if (!job) throw new NotFoundError(`job ${req.params.id} not found`);
    res.json({ ...job, runs: jobs.runs(job.id) });
  });

  return router;
}
