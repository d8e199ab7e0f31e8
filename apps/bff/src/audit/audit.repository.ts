import type { AuditEventView, AuditOutcome, AuditVia } from '@meshdeck/domain';
import type { Clock } from '../clock.ts';
import { prepare, type Db } from '../db/open-db.ts';
import { currentContext, SYSTEM_ACTOR, type Actor } from './actor-context.ts';

export interface AuditEntry {
  kind: string;
  action: string;
  resourceId?: string | undefined;
  meshId?: string | undefined;
  outcome?: AuditOutcome;
  status?: number;
  message?: string;
  before?: unknown;
  after?: unknown;
  /** Default: the current request's actor (AsyncLocalStorage), else `system`. */
  actor?: Actor;
  /** Default: the current request's id. */
  requestId?: string;
}

export interface AuditFilter {
  actor?: string;
  kind?: string;
  action?: string;
  meshId?: string;
  resourceId?: string;
  outcome?: AuditOutcome;
  via?: AuditVia;
  /** ISO times, inclusive. */
  since?: string;
  until?: string;
  limit: number;
}

export interface AuditRepository {
  record(entry: AuditEntry): void;
  list(filter: AuditFilter): AuditEventView[];
}

type Row = Record<string, unknown>;

function parseJson(text: unknown): unknown {
  return typeof text === 'string' ? (JSON.parse(text) as unknown) : undefined;
}

function viewOf(row: Row): AuditEventView {
  const optional = (key: string, value: unknown) =>
    value === null || value === undefined ? {} : { [key]: value };
  return {
    id: row.id as number,
    time: row.time as string,
    actor: row.actor as string,
    ...optional('actorId', row.actor_id),
    via: row.via as AuditVia,
    kind: row.kind as string,
    ...optional('resourceId', row.resource_id),
    ...optional('meshId', row.mesh_id),
    action: row.action as string,
    outcome: row.outcome as AuditOutcome,
    ...optional('status', row.status),
    ...optional('message', row.message),
    ...optional('before', parseJson(row.before_json)),
    ...optional('after', parseJson(row.after_json)),
    ...optional('requestId', row.request_id),
  };
}

/**
 * The audit log (audit_events). `record` runs inside the caller's transaction when there is one,
 * so a write and its audit event are stored together or not at all.
 */
export function createAuditRepository(db: Db, clock: Clock): AuditRepository {
  return {
    record(entry) {
      const context = currentContext();
      const actor = entry.actor ?? context?.actor ?? SYSTEM_ACTOR;
      if (context) context.recorded += 1;
      prepare(
        db,
        `INSERT INTO audit_events (time, actor, actor_id, via, kind, resource_id, mesh_id, action,
           outcome, status, message, before_json, after_json, request_id)
         VALUES (@time, @actor, @actorId, @via, @kind, @resourceId, @meshId, @action, @outcome,
           @status, @message, @before, @after, @requestId)`,
      ).run({
        time: clock.now().toISOString(),
        actor: actor.name,
        actorId: actor.userId ?? null,
        via: actor.via,
        kind: entry.kind,
        resourceId: entry.resourceId ?? null,
        meshId: entry.meshId ?? null,
        action: entry.action,
        outcome: entry.outcome ?? 'SUCCEEDED',
        status: entry.status ?? null,
        message: entry.message ?? null,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        requestId: entry.requestId ?? context?.requestId ?? null,
      });
    },
    list(filter) {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: filter.limit };
      const eq = (column: string, key: keyof AuditFilter) => {
        if (filter[key] === undefined) return;
        where.push(`${column} = @${key}`);
        params[key] = filter[key];
      };
      eq('actor', 'actor');
      eq('kind', 'kind');
      eq('action', 'action');
      eq('mesh_id', 'meshId');
      eq('resource_id', 'resourceId');
      eq('outcome', 'outcome');
      eq('via', 'via');
      if (filter.since !== undefined) {
        where.push('time >= @since');
        params.since = filter.since;
      }
      if (filter.until !== undefined) {
        where.push('time <= @until');
        params.until = filter.until;
      }
      const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY time DESC, id DESC LIMIT @limit`;
      return (prepare(db, sql).all(params) as Row[]).map(viewOf);
    },
  };
}
