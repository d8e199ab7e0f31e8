import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../../lib/api-error.ts';
import { useCan } from '../../../lib/session.ts';
import { useAdvanceClock } from '../api/certificate-mutations.ts';
import { clockQueries } from '../api/certificate-queries.ts';
import { Instant } from './instant.tsx';

const DAY_S = 24 * 60 * 60;

/**
 * Demo mode only: the BFF's clock and buttons that move it forward, so renewals can be watched
 * happening. Renders nothing when the BFF has no demo clock.
 */
export function DemoClockControl() {
  const clock = useQuery(clockQueries.now());
  const advance = useAdvanceClock();
  // Moving the clock is a write: viewers see the demo time only.
  const canWrite = useCan('write');
  if (!clock.data?.demo) return null;
  return (
    <div className="demo-clock" role="group" aria-label="Demo clock">
      <span className="muted">Demo time</span>{' '}
      <output aria-label="Demo time">
        <Instant iso={advance.data?.now ?? clock.data.now} />
      </output>
      {(canWrite
        ? [
            [DAY_S, '+1 day'],
            [30 * DAY_S, '+30 days'],
          ]
        : []
      ).map(([seconds, label]) => (
        <button
          key={label}
          type="button"
          className="button button--small"
          disabled={advance.isPending}
          onClick={() => advance.mutate(Number(seconds))}
        >
          {label}
        </button>
      ))}
      {advance.isError ? (
        <span role="alert" className="field__error">
          {errorMessage(advance.error)}
        </span>
      ) : null}
    </div>
  );
}
