import { useId, useState } from 'react';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import type { MeshMtlsView } from '@meshdeck/domain';

type Filter = 'all' | 'inheriting' | 'declaring';

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'inheriting', label: 'Inheriting' },
  { value: 'declaring', label: 'Declaring' },
];

/**
 * Which services inherit the mesh minimum (they follow it when it changes) and which declare a
 * mode (they keep it, and a lower one blocks a raise, case A6), with a filter and, per service,
 * the way into a staged migration.
 */
export function ServiceModeList({
  view,
  onPlan,
}: {
  view: MeshMtlsView;
  onPlan: (serviceId: string) => void;
}) {
  const id = useId();
  const [filter, setFilter] = useState<Filter>('all');
  const inheriting = view.services.filter((s) => s.inherited);
  const rows = view.services.filter((s) =>
    filter === 'all' ? true : filter === 'inheriting' ? s.inherited : !s.inherited,
  );
  return (
    <section className="panel mtls-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Services: inherit or declare</h2>
      <p>
        {inheriting.length} of {view.services.length} service
        {view.services.length === 1 ? '' : 's'} inherit the mesh minimum;{' '}
        {view.services.length - inheriting.length} declare their own mode.
      </p>
      <div role="radiogroup" aria-label="Show services" className="segmented">
        {FILTERS.map((f) => (
          <label key={f.value} className="segmented__option">
            <input
              type="radio"
              name={`${id}-filter`}
              value={f.value}
              checked={filter === f.value}
              onChange={() => setFilter(f.value)}
            />
            {f.label}
          </label>
        ))}
      </div>
      {rows.length === 0 ? (
        <p className="muted">No services here.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Services of {view.meshName} by mTLS mode</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Effective mode</th>
                <th scope="col">Declared</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  <td>
                    <MtlsBadge mode={s.effective} inherited={s.inherited} />
                  </td>
                  <td>{s.inherited ? 'inherits' : `declares ${s.declared ?? ''}`}</td>
                  <td>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => onPlan(s.id)}
                    >
                      Plan migration for {s.name}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
