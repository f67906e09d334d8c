import { findLoops, superiorsFirst } from './chain-graph';

const graph = (edges: Record<string, string | null>) => (n: string) => edges[n] ?? null;

describe('the 包保 chain graph', () => {
  it('finds a two-holder loop once, whichever end the walk starts from', () => {
    expect(findLoops(['a', 'b', 'c'], graph({ a: 'b', b: 'a', c: 'a' }))).toEqual([['a', 'b']]);
  });

  it('finds a loop that passes through stored holders', () => {
    expect(findLoops(['line:2'], graph({ 'line:2': 'x', x: 'y', y: 'line:2' }))).toEqual([['line:2', 'x', 'y']]);
  });

  it('finds no loop in chains that merge', () => {
    expect(findLoops(['a', 'b', 'c'], graph({ a: 'c', b: 'c', c: 'd' }))).toEqual([]);
  });

  it('orders superiors before subordinates, keeping file order otherwise', () => {
    expect(superiorsFirst(['grid', 'village', 'other', 'town'], graph({ grid: 'village', village: 'town', town: 'city' }))).toEqual([
      'town',
      'village',
      'grid',
      'other',
    ]);
  });
});
