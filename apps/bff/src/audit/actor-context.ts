import type { AuditVia, Role } from '@meshdeck/domain';
import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is making the current request (set by the auth middleware, read by the audit). */
export interface Actor {
  /** The user's id; absent for `anonymous` (unsigned OCI calls) and `system` (jobs). */
  userId?: string;
  name: string;
  role: Role;
  via: AuditVia;
}

export interface RequestContext {
  actor: Actor;
  requestId?: string;
  /** How many audit events this request recorded (the request-level fallback skips when > 0). */
  recorded: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it awaits or schedules) as `actor`. */
export function runAs<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request's context; undefined in jobs, the demo seed and boot. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Writes with no request behind them (jobs, the job runner, boot): the system. */
export const SYSTEM_ACTOR: Actor = { name: 'system', role: 'admin', via: 'job' };
