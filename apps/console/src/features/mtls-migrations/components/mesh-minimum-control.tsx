import { meshMinimumChoices, PROPAGATION_DELAY_SECONDS, type MtlsMode } from '@meshdeck/domain';
import { useId, useState } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { ModeOption } from '../../../components/ui/mode-option.tsx';
import { MtlsBadge } from '../../../components/ui/mtls-badge.tsx';
import { errorMessage, isApiError } from '../../../lib/api-error.ts';
import { useUpdateMeshMinimum } from '../api/mtls-migration-mutations.ts';
import type { MeshMtlsView } from '@meshdeck/domain';
import { propagatedAt, useServerNow } from './server-clock.ts';

export interface MeshMinimumControlProps {
  view: MeshMtlsView;
  /** When the view arrived (the query's dataUpdatedAt), to keep time with the server. */
  receivedAt: number;
  /** A greyed choice (blocked, not adjacent, too soon): plan it as a staged migration instead. */
  onPlan: (minimum: MtlsMode) => void;
}

/**
 * The mesh minimum as a radio group of the choices the domain's `meshMinimumChoices` allows right
 * now. Every greyed choice says why — below the modes some services declare (named), not
 * adjacent, or "wait N s" with a live countdown from the server's last change time — and the BFF
 * checks the same rule again on apply.
 */
export function MeshMinimumControl({ view, receivedAt, onPlan }: MeshMinimumControlProps) {
  const id = useId();
  const services = view.services.map((s) => ({
    name: s.name,
    declared: s.declared,
    lastChangedAt: s.lastChangedAt,
  }));
  // The mesh's own timer and every inheriting service's: a change of the minimum moves them all.
  const until = propagatedAt([
    view.minimumChangedAt,
    ...view.services.filter((s) => s.inherited).map((s) => s.lastChangedAt),
  ]);
  const now = useServerNow(view.now, receivedAt, until);
  const choices = meshMinimumChoices({
    current: { minimum: view.minimum, lastChangedAt: view.minimumChangedAt },
    declaredServices: services,
    now,
  });
  // The operator's pick; none means "the current minimum", which follows the server.
  const [picked, setPicked] = useState<MtlsMode | null>(null);
  const selected = picked ?? view.minimum;
  const update = useUpdateMeshMinimum(view.meshId);
  const chosen = choices.find((c) => c.value === selected);
  const running = view.activeMigration !== null;
  const canApply = selected !== view.minimum && chosen?.allowed === true && !running;

  return (
    <section className="panel mtls-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Mesh minimum</h2>
      <p>
        Now <MtlsBadge mode={view.minimum} />. Services that inherit follow it; services that
        declare a mode keep theirs. A change moves one step at a time, at least{' '}
        {PROPAGATION_DELAY_SECONDS} s after the last change of the mesh and of every inheriting
        service.
      </p>
      <form
        aria-label="Change the mesh minimum"
        onSubmit={(event) => {
          event.preventDefault();
          if (canApply) update.mutate(selected, { onSuccess: () => setPicked(null) });
        }}
      >
        <fieldset role="radiogroup" className="fieldset mode-group">
          <legend>mTLS minimum of {view.meshName}</legend>
          <div className="mode-group__options">
            {choices.map((choice) => (
              <ModeOption
                key={choice.value}
                groupId={id}
                name={`${id}-minimum`}
                choice={choice}
                checked={selected === choice.value}
                labelSuffix={choice.value === view.minimum ? ' (current)' : ''}
                onChange={() => {
                  update.reset();
                  setPicked(choice.value as MtlsMode);
                }}
              >
                {!choice.allowed ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onPlan(choice.value as MtlsMode)}
                  >
                    Plan a staged migration to {choice.value}
                  </button>
                ) : null}
              </ModeOption>
            ))}
          </div>
        </fieldset>
        {running ? (
          <p className="field__hint">
            A migration is running in this mesh: the minimum changes with its stages.
          </p>
        ) : null}
        <div className="form__actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={!canApply || update.isPending}
          >
            {update.isPending ? 'Changing…' : `Change minimum to ${selected}`}
          </button>
        </div>
      </form>
      {update.isError ? (
        <Alert title="The minimum was not changed">
          <p>{errorMessage(update.error)}</p>
          {isApiError(update.error) && update.error.retryAfterSeconds ? (
            <p>Try again in {update.error.retryAfterSeconds} s.</p>
          ) : null}
        </Alert>
      ) : null}
      {update.isSuccess ? (
        <Alert tone="success" title="Minimum changed">
          The mesh minimum is now {update.data.minimum}.
        </Alert>
      ) : null}
    </section>
  );
}
