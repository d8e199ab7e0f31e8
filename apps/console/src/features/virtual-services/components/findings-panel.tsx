import type { MeshFinding } from '@meshdeck/domain';

/** Rule findings about one resource, most severe first. */
export function FindingsPanel({ findings }: { findings: MeshFinding[] }) {
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...findings].sort(
    (a, b) => order[a.severity] - order[b.severity] || a.code.localeCompare(b.code),
  );
  return (
    <section className="panel" aria-labelledby="findings-heading">
      <h2 id="findings-heading">Findings</h2>
      {sorted.length === 0 ? (
        <p className="muted">No findings.</p>
      ) : (
        <ul className="findings">
          {sorted.map((f, i) => (
            <li key={`${f.code}-${f.path}-${i}`} className={`finding finding--${f.severity}`}>
              <span className="finding__severity">{f.severity}</span>
              <code>{f.code}</code> {f.message}
              {f.path ? <span className="muted"> ({f.path})</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
