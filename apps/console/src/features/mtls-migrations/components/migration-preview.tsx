import type { EdgeChange, EdgeState, MigrationChange, StagePreview } from '@meshdeck/domain';

const modeText = (mode: string | null) => mode ?? 'inherit';

export function describeChange(c: MigrationChange): string {
  return c.kind === 'mesh'
    ? `Mesh ${c.name} minimum ${c.from} → ${c.to}`
    : `${c.name}: ${modeText(c.from)} → ${modeText(c.to)}`;
}

function StateText({ state }: { state: EdgeState }) {
  return <span className={`edge-state edge-state--${state}`}>{state}</span>;
}

function EdgeChanges({ caption, changes }: { caption: string; changes: EdgeChange[] }) {
  if (changes.length === 0) return <p className="muted">No edge changes state.</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.edgeId}>
              <td>{c.sourceName}</td>
              <td>{c.targetName}</td>
              <td>
                <StateText state={c.from} />
              </td>
              <td>
                <StateText state={c.to} />
              </td>
              <td className="reason">{c.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The stages of a migration and their what-if: per stage, the changes in the order they are
 * applied, the edges that change state and the outside callers newly refused — computed by the
 * BFF with the graph's own edge function, so the graph shows exactly this after the run.
 */
export function MigrationStages({
  stages,
  propagationDelaySeconds,
  stateOf,
}: {
  stages: StagePreview[];
  propagationDelaySeconds: number;
  /** A stage's progress while the migration runs (APPLIED, NEXT …), when known. */
  stateOf?: (index: number) => string | undefined;
}) {
  return (
    <ol className="migration-stages">
      {stages.map((s, index) => {
        const state = stateOf?.(index);
        return (
          <li key={index} className="migration-stage">
            <h4>
              Stage {index + 1}{' '}
              <span className="muted">
                {index === 0 ? '(at once)' : `(${propagationDelaySeconds} s after stage ${index})`}
              </span>
              {state ? (
                <span className={`stage-state stage-state--${state.toLowerCase()}`}> {state}</span>
              ) : null}
            </h4>
            <ul className="plain-list">
              {s.stage.changes.map((c) => (
                <li key={`${c.kind}:${c.id}`}>{describeChange(c)}</li>
              ))}
            </ul>
            {s.newlyRefused.length > 0 ? (
              <p className="alert alert--warning" role="note">
                Outside callers refused from this stage on:{' '}
                {s.newlyRefused
                  .map((c) => c.targetName)
                  .sort()
                  .join(', ')}
              </p>
            ) : null}
            <EdgeChanges
              caption={`Stage ${index + 1}: edges that change state`}
              changes={s.edgeChanges}
            />
          </li>
        );
      })}
    </ol>
  );
}
