import '../audit.css';
import type { AuditEventView } from '@meshdeck/domain';

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function Change({ event }: { event: AuditEventView }) {
  if (event.before === undefined && event.after === undefined) return null;
  return (
    <details>
      <summary>Before / after</summary>
      <div className="audit-change">
        <pre aria-label="Before">{JSON.stringify(event.before ?? null, null, 2)}</pre>
        <pre aria-label="After">{JSON.stringify(event.after ?? null, null, 2)}</pre>
      </div>
    </details>
  );
}

/** Audit events, newest first: when, who (and through what), what, the outcome. */
export function AuditTable({ events, caption }: { events: AuditEventView[]; caption: string }) {
  return (
    <table className="data-table audit-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Action</th>
          <th scope="col">What</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id} data-outcome={event.outcome}>
            <td>{when(event.time)}</td>
            <td>
              {event.actor} <span className="muted">via {event.via}</span>
            </td>
            <td>
              <code>{event.action}</code>
            </td>
            <td>
              {event.kind}
              {event.resourceId ? (
                <>
                  {' '}
                  <code className="muted">{event.resourceId}</code>
                </>
              ) : null}
              <Change event={event} />
            </td>
            <td>
              {event.outcome === 'REFUSED' ? (
                <strong className="audit-refused">
                  refused{event.status ? ` (${event.status})` : ''}
                </strong>
              ) : (
                'succeeded'
              )}
              {event.message ? <div className="muted">{event.message}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
