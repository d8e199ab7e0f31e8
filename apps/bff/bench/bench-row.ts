/** One row of the results table `npm run bench` writes into docs/benchmarks.md. */
export interface BenchRow {
  /** The id for the figure, e.g. `P4`; `P1 (PostgreSQL)` for a store figure on PostgreSQL. */
  id: string;
  /** What was measured, with the conditions (sizes, engine, mode). */
  what: string;
  /** The figure itself, with its same-run baseline where there is one. */
  measured: string;
  /** The goal, in the words. */
  goal: string;
  met: boolean;
  /** Not measured on this machine (e.g. PostgreSQL not installed): `measured` says why. */
  notRun?: boolean;
}
