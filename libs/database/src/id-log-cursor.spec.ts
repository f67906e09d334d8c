import { advanceCursor, withWriters } from './id-log-cursor';

describe('advanceCursor: id order without skipping a late commit', () => {
  it('passes contiguous ids and stops at a hole it sees for the first time', () => {
    expect(advanceCursor(4, [5, 6, 7], null)).toEqual({ cursor: 7, hole: null, blocked: false });
    expect(advanceCursor(4, [5, 7, 8], null)).toEqual({ cursor: 5, hole: { from: 6, candidates: null, lastWriters: null }, blocked: true });
  });

  it('waits while a writer read after the first snapshot is still writing, then passes the final hole', () => {
    let step = advanceCursor(5, [7], null);
    let hole = withWriters(step.hole!, ['3/10', '4/2']);
    // The writers read after the first snapshot are not "before" a snapshot yet: the next round still waits.
    step = advanceCursor(5, [7], hole);
    expect(step).toMatchObject({ cursor: 5, blocked: true });
    hole = withWriters(step.hole!, ['4/2', '5/9']);
    expect(hole).toEqual({ from: 6, candidates: ['3/10', '4/2'], lastWriters: ['4/2', '5/9'] });
    step = advanceCursor(5, [7], hole);
    expect(step.blocked).toBe(true);
    hole = withWriters(step.hole!, ['5/9', '6/1']); // the candidates have all ended; new writers do not count
    expect(advanceCursor(5, [7, 8], hole)).toEqual({ cursor: 8, hole: null, blocked: false });
  });

  it('with no writer at all after the first snapshot, the hole is final on the next round', () => {
    const hole = withWriters(advanceCursor(0, [2], null).hole!, []);
    expect(advanceCursor(0, [2], hole)).toEqual({ cursor: 2, hole: null, blocked: false });
  });

  it('a hole that filled is forgotten; a new hole further on is judged afresh', () => {
    const hole = withWriters(advanceCursor(0, [2], null).hole!, ['1/1']);
    expect(advanceCursor(0, [1, 2, 4], hole)).toEqual({ cursor: 2, hole: { from: 3, candidates: null, lastWriters: null }, blocked: true });
  });
});
