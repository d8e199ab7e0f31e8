import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useParams } from 'react-router';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { mtlsMigrationQueries } from '../api/mtls-migration-queries.ts';
import type { MigrationView } from '@meshdeck/domain';
import { MeshMinimumControl } from '../components/mesh-minimum-control.tsx';
import {
  initialPlannerTarget,
  MigrationPlanner,
  type PlannerTarget,
} from '../components/migration-planner.tsx';
import { MigrationProgress } from '../components/migration-progress.tsx';
import { ServiceModeList } from '../components/service-mode-list.tsx';
import '../mtls-migrations.css';

const STATUS_TEXT: Record<MigrationView['status'], string> = {
  ACCEPTED: 'starting',
  IN_PROGRESS: 'running',
  CANCELING: 'canceling',
  SUCCEEDED: 'done',
  FAILED: 'failed',
  CANCELED: 'canceled',
};

function targetText(m: MigrationView): string {
  const t = m.target;
  return t.kind === 'mesh' ? `minimum ${t.minimum}` : `mode ${t.mode ?? 'inherit'}`;
}

/**
 * The mesh's mTLS tab: the mesh minimum control, which services inherit and which declare, the
 * staged-migration planner (target, stages and what-if before running) and the migration as it
 * runs (progress, cancel, roll back).
 */
export function MeshMtlsPage() {
  const meshId = useParams().meshId ?? '';
  const query = useQuery(mtlsMigrationQueries.mesh(meshId));
  const history = useQuery(mtlsMigrationQueries.list(meshId));
  const [target, setTarget] = useState<PlannerTarget | null>(null);
  const [shownId, setShownId] = useState<string | null>(null);
  const plannerRef = useRef<HTMLDivElement>(null);

  if (query.isPending) return <LoadingState label="Loading mTLS…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const view = query.data;
  const plannerTarget = target ?? initialPlannerTarget(view);
  const migrationId = shownId ?? view.activeMigration?.id ?? null;

  const openPlanner = (next: Partial<PlannerTarget>) => {
    setTarget({ ...plannerTarget, ...next });
    requestAnimationFrame(() => {
      plannerRef.current?.scrollIntoView?.({ block: 'start' });
      plannerRef.current?.focus();
    });
  };

  return (
    <div className="mtls-page">
      <MeshMinimumControl
        view={view}
        receivedAt={query.dataUpdatedAt}
        onPlan={(minimum) => openPlanner({ kind: 'mesh', minimum, raiseBlockingServices: true })}
      />
      <ServiceModeList
        view={view}
        onPlan={(serviceId) => {
          const service = view.services.find((s) => s.id === serviceId);
          openPlanner({
            kind: 'virtualService',
            serviceId,
            mode: service?.declared ?? 'INHERIT',
          });
        }}
      />
      <div ref={plannerRef} tabIndex={-1} className="mtls-page__anchor">
        <MigrationPlanner
          view={view}
          target={plannerTarget}
          onTargetChange={setTarget}
          onStarted={(m) => setShownId(m.id)}
        />
      </div>
      {migrationId ? (
        <MigrationProgress migrationId={migrationId} onRolledBack={(m) => setShownId(m.id)} />
      ) : null}
      {history.data && history.data.length > 0 ? (
        <section className="panel mtls-section" aria-label="Recent migrations">
          <h2>Recent migrations</h2>
          <ul className="plain-list migration-history">
            {history.data.map((m) => (
              <li key={m.id}>
                <button
                  type="button"
                  className="link-button"
                  aria-current={m.id === migrationId ? 'true' : undefined}
                  onClick={() => setShownId(m.id)}
                >
                  {m.rollbackOf ? 'Rollback' : 'Migration'} of {m.subject.name} to {targetText(m)}
                </button>{' '}
                <span className="muted">
                  — {STATUS_TEXT[m.status]}, {m.timeCreated.slice(0, 19).replace('T', ' ')} UTC
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
