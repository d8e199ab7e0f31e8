import { FINISHED_MIGRATION_STATUSES, PROPAGATION_DELAY_SECONDS } from '@meshdeck/domain';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { ErrorState } from '../../../components/ui/error-state.tsx';
import { LoadingState } from '../../../components/ui/loading-state.tsx';
import { errorMessage } from '../../../lib/api-error.ts';
import { useCancelMigration, useRollbackMigration } from '../api/mtls-migration-mutations.ts';
import { mtlsMigrationQueries } from '../api/mtls-migration-queries.ts';
import type { MigrationView } from '@meshdeck/domain';
import { MigrationStages } from './migration-preview.tsx';
import { secondsUntil, useServerNow } from './server-clock.ts';

const STATUS_TEXT: Record<MigrationView['status'], string> = {
  ACCEPTED: 'Starting',
  IN_PROGRESS: 'Running',
  CANCELING: 'Canceling',
  SUCCEEDED: 'Done',
  FAILED: 'Failed',
  CANCELED: 'Canceled',
};

function formatTime(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

/**
 * A migration as it runs, polled once a second: status, progress, each stage's state, the next
 * step as a live countdown on the server's clock, the log (one entry per stage) and why it
 * stopped. Cancel stops it before the next stage; roll back starts a new staged migration back
 * to where it started.
 */
export function MigrationProgress({
  migrationId,
  onRolledBack,
}: {
  migrationId: string;
  onRolledBack: (migration: MigrationView) => void;
}) {
  const id = useId();
  const query = useQuery(mtlsMigrationQueries.detail(migrationId));
  const cancel = useCancelMigration();
  const rollback = useRollbackMigration();
  const m = query.data;
  const nextAt = m?.nextStepAt ? Date.parse(m.nextStepAt) : null;
  const now = useServerNow(m?.now, query.dataUpdatedAt, nextAt);

  if (query.isPending) return <LoadingState label="Loading migration…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!m) return null;

  const finished = FINISHED_MIGRATION_STATUSES.includes(m.status);
  const wait = secondsUntil(m.nextStepAt, now);
  const title = `${m.rollbackOf ? 'Rollback' : 'Migration'} of ${
    m.subject.kind === 'mesh' ? 'mesh' : 'service'
  } ${m.subject.name}`;
  return (
    <section className="panel mtls-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p role="status" aria-live="polite" className="migration-status">
        <strong>{STATUS_TEXT[m.status]}</strong>: stage {m.stagesDone} of {m.stageCount} applied
        {!finished && m.nextStepAt
          ? wait > 0
            ? `; next stage in ${wait} s`
            : '; next stage now'
          : ''}
      </p>
      <progress
        className="migration-progress"
        aria-label={`${title} progress`}
        max={100}
        value={m.percentComplete}
      >
        {m.percentComplete}%
      </progress>
      {m.failure ? (
        <Alert title="The migration stopped">
          <p>{m.failure}</p>
          <p>Every resource stays at the last mode that was applied.</p>
        </Alert>
      ) : null}
      <div className="form__actions">
        {!finished ? (
          <button
            type="button"
            className="button button--danger"
            disabled={cancel.isPending || m.status === 'CANCELING'}
            onClick={() => cancel.mutate(m.id)}
          >
            {cancel.isPending ? 'Canceling…' : 'Cancel migration'}
          </button>
        ) : null}
        {m.stagesDone > 0 ? (
          <button
            type="button"
            className="button"
            disabled={rollback.isPending || m.status === 'CANCELING'}
            onClick={() => rollback.mutate(m.id, { onSuccess: onRolledBack })}
          >
            {rollback.isPending ? 'Rolling back…' : 'Roll back to where it started'}
          </button>
        ) : null}
      </div>
      {cancel.isError ? <Alert title="Not canceled">{errorMessage(cancel.error)}</Alert> : null}
      {rollback.isError ? (
        <Alert title="Not rolled back">{errorMessage(rollback.error)}</Alert>
      ) : null}
      <h3>Stages</h3>
      <MigrationStages
        stages={m.stages}
        propagationDelaySeconds={PROPAGATION_DELAY_SECONDS}
        stateOf={(index) => m.stages[index]?.state}
      />
      <h3>Log</h3>
      <ol className="migration-log" aria-label={`${title} log`}>
        {m.log.map((entry, index) => (
          <li key={index} className={entry.level === 'ERROR' ? 'migration-log__error' : undefined}>
            <time dateTime={entry.timestamp}>{formatTime(entry.timestamp)}</time> {entry.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
