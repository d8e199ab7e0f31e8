import type { EdgeState } from '@meshdeck/domain';
import { LockIcon, type LockShape } from '../../../components/ui/lock-icon.tsx';

const SHAPE: Record<EdgeState, LockShape> = {
  mtls: 'closed',
  tls: 'closed',
  plaintext: 'open',
  refused: 'cross',
  denied: 'cross',
};

/** Icon and text for an edge state; the same on the canvas, in the table and in the panel (B1). */
export function EdgeStateBadge({ state }: { state: EdgeState }) {
  return (
    <span className={`edge-state edge-state--${state}`} data-state={state}>
      <LockIcon shape={SHAPE[state]} />
      <span>{state}</span>
    </span>
  );
}
