import type { Finding, RelatedResource } from '@meshdeck/domain';
import { Link } from 'react-router';
import { resourcePath } from '../../lib/resource-paths.ts';
import { kindLabel } from './confirm-delete-dialog.tsx';

const RELATION_LABEL: Record<RelatedResource['relation'], string> = {
  parent: 'Belongs to',
  child: 'Contains',
  references: 'Uses',
  referencedBy: 'Used by',
};

/** A resource's related resources, grouped by relation, each a link to its page. */
export function RelatedResources({ related }: { related: readonly RelatedResource[] }) {
  const groups = (['parent', 'references', 'child', 'referencedBy'] as const)
    .map((relation) => ({ relation, items: related.filter((r) => r.relation === relation) }))
    .filter((g) => g.items.length > 0);
  return (
    <section className="panel" aria-labelledby="related-heading">
      <h2 id="related-heading">Related resources</h2>
      {groups.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <dl className="facts">
          {groups.map((g) => (
            <div key={g.relation}>
              <dt>{RELATION_LABEL[g.relation]}</dt>
              <dd>
                <ul className="related-list">
                  {g.items.map((r) => (
                    <li key={r.id}>
                      {kindLabel(r.kind)} <Link to={resourcePath(r.kind, r.id)}>{r.name}</Link>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The findings kept with a resource (warnings such as RT001, import flags). */
export function ResourceFindings({ findings }: { findings: readonly Finding[] }) {
  return (
    <section className="panel" aria-labelledby="findings-heading">
      <h2 id="findings-heading">Findings</h2>
      {findings.length === 0 ? (
        <p className="muted">No findings.</p>
      ) : (
        <ul className="related-list">
          {findings.map((f, i) => (
            <li key={`${f.code}-${i}`}>
              <code>{f.code}</code> <strong>{f.severity}</strong>: {f.message}
              {f.path ? <span className="muted"> ({f.path})</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
