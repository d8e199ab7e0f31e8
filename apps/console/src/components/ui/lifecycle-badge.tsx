import type { LifecycleState } from '@meshdeck/domain';

export function LifecycleBadge({ state }: { state: LifecycleState }) {
  return <span className={`lifecycle lifecycle--${state.toLowerCase()}`}>{state}</span>;
}
