import { clipReason, STAND_DOWN_REASON_MAX } from './stand-down.service';

describe('stand-down reason', () => {
  it('keeps a short reason as it is', () => {
    expect(clipReason(' 暴雨预警解除 ')).toBe('暴雨预警解除');
  });

  it('clips a long CAP note to fit the call and timer columns (varchar 200), by code point', () => {
    const note = '𠀋'.repeat(400); // astral characters: two UTF-16 units each
    const out = clipReason(note);
    expect(Array.from(out)).toHaveLength(STAND_DOWN_REASON_MAX);
    expect(out.endsWith('…')).toBe(true);
    expect(`cancelled: ${out}`.length).toBeLessThanOrEqual(400); // UTF-16 units; varchar counts characters
    expect(Array.from(`cancelled: ${out}`).length).toBeLessThanOrEqual(200);
  });
});
