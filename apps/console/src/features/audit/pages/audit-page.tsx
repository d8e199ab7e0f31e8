import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { SelectField, TextField } from '../../../components/ui/form-field.tsx';
import { PageHeader } from '../../../components/ui/layout.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { auditQueries, type AuditFilters } from '../api/audit.api.ts';
import { AuditTable } from '../components/audit-table.tsx';

const TEXT_FILTERS = ['actor', 'kind', 'action', 'meshId', 'since', 'until'] as const;

/** `/audit`: who changed what, filtered by who, kind, action, outcome, time and mesh (in the URL). */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = { limit: 200 };
  for (const key of [...TEXT_FILTERS, 'outcome'] as const) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const query = useQuery(auditQueries.list(filters));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of new FormData(event.currentTarget).entries()) {
      if (typeof value === 'string' && value.trim() !== '') next.set(key, value.trim());
    }
    setParams(next);
  };
  return (
    <>
      <PageHeader title="Audit">
        <p className="muted">
          Every write from the console, the OCI API, imports and jobs, and every refused attempt.
        </p>
      </PageHeader>
      <form
        className="form form__grid audit-filters"
        onSubmit={onSubmit}
        aria-label="Audit filters"
      >
        <TextField label="Who" name="actor" defaultValue={params.get('actor') ?? ''} />
        <TextField
          label="Kind"
          name="kind"
          hint="Mesh, VirtualService, User, Session…"
          defaultValue={params.get('kind') ?? ''}
        />
        <TextField
          label="Action"
          name="action"
          hint="CREATE, UPDATE, DELETE, SIGN_IN…"
          defaultValue={params.get('action') ?? ''}
        />
        <TextField label="Mesh OCID" name="meshId" defaultValue={params.get('meshId') ?? ''} />
        <SelectField label="Outcome" name="outcome" defaultValue={params.get('outcome') ?? ''}>
          <option value="">any</option>
          <option value="SUCCEEDED">succeeded</option>
          <option value="REFUSED">refused</option>
        </SelectField>
        <TextField
          label="From"
          name="since"
          hint="e.g. 2025-03-01T00:00Z"
          defaultValue={params.get('since') ?? ''}
        />
        <TextField label="To" name="until" defaultValue={params.get('until') ?? ''} />
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            Filter
          </button>
        </div>
      </form>
      {query.isPending ? (
        <LoadingState label="Loading the audit…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <p className="muted">Nothing matches these filters.</p>
      ) : (
        <AuditTable events={query.data.items} caption="Audit events, newest first" />
      )}
    </>
  );
}
