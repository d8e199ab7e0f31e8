import { describe, expect, it } from 'vitest';
import { bracketPath, routedPath } from './edge-path.ts';

describe('routedPath', () => {
  it('runs straight through each lane and curves between lanes, leaving and arriving level', () => {
    expect(
      routedPath(
        { x: 0, y: 0 },
        [
          { x: 100, y: 50 },
          { x: 300, y: 50 },
        ],
        { x: 400, y: 10 },
      ),
    ).toBe('M0,0 C50,0 50,50 100,50 L300,50 C350,50 350,10 400,10');
  });

  it('is one curve without lanes', () => {
    expect(routedPath({ x: 0, y: 0 }, [], { x: 10, y: 20 })).toBe('M0,0 C5,0 5,20 10,20');
  });
});

describe('bracketPath', () => {
  it('goes out, along and back in with rounded corners', () => {
    expect(
      bracketPath(
        { x: 0, y: 0 },
        [
          { x: 40, y: 0 },
          { x: 40, y: 100 },
        ],
        { x: 0, y: 100 },
        10,
      ),
    ).toBe('M0,0 L30,0 Q40,0 40,10 L40,90 Q40,100 30,100 L0,100');
  });
});
