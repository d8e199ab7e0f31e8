import {
  belowMinimumMessage,
  isAtLeast,
  MTLS_MODES,
  type MigrationTargetInput,
  type MtlsMode,
} from '@meshdeck/domain';
import { useId } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { SelectField } from '../../../components/ui/form-field.tsx';
import { errorMessage } from '../../../lib/api-error.ts';
import { usePlanMigration, useStartMigration } from '../api/mtls-migration-mutations.ts';
import type { MeshMtlsView, MigrationView } from '@meshdeck/domain';
import { MigrationStages } from './migration-preview.tsx';

/** What the planner's form holds; `INHERIT` stands for "no declared mode". */
export interface PlannerTarget {
  kind: 'mesh' | 'virtualService';
  minimum: MtlsMode;
  raiseBlockingServices: boolean;
  serviceId: string;
  mode: MtlsMode | 'INHERIT';
}

export function initialPlannerTarget(view: MeshMtlsView): PlannerTarget {
  const first = view.services[0];
  return {
    kind: 'mesh',
    minimum: view.minimum,
    raiseBlockingServices: false,
    serviceId: first?.id ?? '',
    mode: first ? (first.declared ?? 'INHERIT') : 'INHERIT',
  };
}

export function toTargetInput(meshId: string, t: PlannerTarget): MigrationTargetInput {
  return t.kind === 'mesh'
    ? {
        kind: 'mesh',
        meshId,
        minimum: t.minimum,
        ...(t.raiseBlockingServices ? { raiseBlockingServices: true } : {}),
      }
    : { kind: 'virtualService', id: t.serviceId, mode: t.mode === 'INHERIT' ? null : t.mode };
}

/**
 * "Plan migration": choose where the mesh minimum or one service should end up, see the stages
 * and their what-if BEFORE anything runs, then run it. Changing the target drops the preview, so
 * what runs is always what was previewed.
 */
export function MigrationPlanner({
  view,
  target,
  onTargetChange,
  onStarted,
}: {
  view: MeshMtlsView;
  target: PlannerTarget;
  onTargetChange: (target: PlannerTarget) => void;
  onStarted: (migration: MigrationView) => void;
}) {
  const id = useId();
  const plan = usePlanMigration();
  const start = useStartMigration();
  const running = view.activeMigration !== null;
  const change = (next: Partial<PlannerTarget>) => {
    plan.reset();
    start.reset();
    onTargetChange({ ...target, ...next });
  };
  const service = view.services.find((s) => s.id === target.serviceId);
  const input = toTargetInput(view.meshId, target);
  const noService = target.kind === 'virtualService' && !service;
  // Only the plan of the target on screen counts: what runs is always what was previewed.
  const current = JSON.stringify(plan.variables) === JSON.stringify(input);

  return (
    <section className="panel mtls-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Plan a migration</h2>
      <p>
        A migration takes the mesh minimum or one service from its mode to any other, one step per
        stage, waiting the propagation delay between stages. Nothing changes until you run it.
      </p>
      <form
        aria-label="Migration target"
        onSubmit={(event) => {
          event.preventDefault();
          if (!noService) plan.mutate(input);
        }}
      >
        <fieldset role="radiogroup" className="fieldset">
          <legend>Migrate</legend>
          <label className="inline-choice">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={target.kind === 'mesh'}
              onChange={() => change({ kind: 'mesh' })}
            />
            The mesh minimum
          </label>
          <label className="inline-choice">
            <input
              type="radio"
              name={`${id}-kind`}
              checked={target.kind === 'virtualService'}
              onChange={() => change({ kind: 'virtualService' })}
              disabled={view.services.length === 0}
            />
            A virtual service
          </label>
        </fieldset>

        {target.kind === 'mesh' ? (
          <div className="form__grid">
            <SelectField
              label="Target minimum"
              hint={`Now ${view.minimum}.`}
              value={target.minimum}
              onChange={(e) => change({ minimum: e.target.value as MtlsMode })}
            >
              {MTLS_MODES.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </SelectField>
            <label className="inline-choice">
              <input
                type="checkbox"
                checked={target.raiseBlockingServices}
                onChange={(e) => change({ raiseBlockingServices: e.target.checked })}
              />
              Also raise services that declare a less strict mode (before the mesh, stage by stage)
            </label>
          </div>
        ) : (
          <div className="form__grid">
            <SelectField
              label="Virtual service"
              value={target.serviceId}
              onChange={(e) => {
                const next = view.services.find((s) => s.id === e.target.value);
                change({ serviceId: e.target.value, mode: next?.declared ?? 'INHERIT' });
              }}
            >
              {view.services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.label})
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Target mode"
              hint={
                service
                  ? `Now ${service.label}. Modes below the mesh minimum (${view.minimum}) are not offered.`
                  : undefined
              }
              value={target.mode}
              onChange={(e) => change({ mode: e.target.value as MtlsMode | 'INHERIT' })}
            >
              <option value="INHERIT">Inherit from mesh ({view.minimum})</option>
              {MTLS_MODES.map((m) => {
                const allowed = isAtLeast(m, view.minimum);
                return (
                  <option key={m} value={m} disabled={!allowed}>
                    {allowed ? m : `${m} — ${belowMinimumMessage(m, view.minimum)}`}
                  </option>
                );
              })}
            </SelectField>
          </div>
        )}

        <div className="form__actions">
          <button type="submit" className="button" disabled={plan.isPending || noService}>
            {plan.isPending ? 'Planning…' : 'Preview migration'}
          </button>
        </div>
      </form>

      {plan.isError && current ? (
        <Alert title="No migration to that target">
          <p>{errorMessage(plan.error)}</p>
        </Alert>
      ) : null}

      {plan.isSuccess && current ? (
        <section aria-label="Migration preview" className="migration-preview">
          <h3>
            Preview: {plan.data.subject.kind === 'mesh' ? 'mesh' : 'service'}{' '}
            {plan.data.subject.name}
          </h3>
          {plan.data.stages.length === 0 ? (
            <p>Nothing to do: it is already there.</p>
          ) : (
            <>
              <p>
                {plan.data.stages.length} stage{plan.data.stages.length === 1 ? '' : 's'}, at least{' '}
                {plan.data.minimumDurationSeconds} s in all.
              </p>
              <MigrationStages
                stages={plan.data.stages}
                propagationDelaySeconds={plan.data.propagationDelaySeconds}
              />
              <div className="form__actions">
                <button
                  type="button"
                  className="button button--primary"
                  disabled={start.isPending || running}
                  onClick={() =>
                    start.mutate(input, {
                      // The preview described the state before the run: it is history now.
                      onSuccess: (migration) => {
                        plan.reset();
                        onStarted(migration);
                      },
                    })
                  }
                >
                  {start.isPending ? 'Starting…' : 'Run migration'}
                </button>
                {running ? (
                  <span className="field__hint">
                    Another migration is running in this mesh; wait for it or cancel it.
                  </span>
                ) : null}
              </div>
            </>
          )}
        </section>
      ) : null}

      {start.isError ? (
        <Alert title="The migration did not start">
          <p>{errorMessage(start.error)}</p>
        </Alert>
      ) : null}
    </section>
  );
}
