import type { Point } from '../layout.ts';

/**
 * An SVG path from `source` through `points` to `target`. Each step leaves and arrives
 * horizontally (a cubic with its control points half way across), so a step between two points
 * at the same height is a straight run: the lane an edge takes through a column.
 */
export function routedPath(source: Point, points: readonly Point[], target: Point): string {
  const all = [source, ...points, target];
  let d = `M${source.x},${source.y}`;
  for (let i = 1; i < all.length; i += 1) {
    const a = all[i - 1] as Point;
    const b = all[i] as Point;
    if (a.y === b.y) {
      d += ` L${b.x},${b.y}`;
    } else {
      const half = (b.x - a.x) / 2;
      d += ` C${a.x + half},${a.y} ${b.x - half},${b.y} ${b.x},${b.y}`;
    }
  }
  return d;
}

function toward(from: Point, to: Point, distance: number): Point {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  if (length === 0) return from;
  const k = Math.min(distance, length / 2) / length;
  return { x: from.x + (to.x - from.x) * k, y: from.y + (to.y - from.y) * k };
}

/** A polyline through `points` with rounded corners: the bracket round a column's side. */
export function bracketPath(from: Point, points: readonly Point[], to: Point, radius = 10): string {
  const all = [from, ...points, to];
  let d = `M${from.x},${from.y}`;
  for (let i = 1; i < all.length - 1; i += 1) {
    const corner = all[i] as Point;
    const a = toward(corner, all[i - 1] as Point, radius);
    const b = toward(corner, all[i + 1] as Point, radius);
    d += ` L${a.x},${a.y} Q${corner.x},${corner.y} ${b.x},${b.y}`;
  }
  return `${d} L${to.x},${to.y}`;
}
