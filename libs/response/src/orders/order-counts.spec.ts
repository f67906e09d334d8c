import { AppError } from '@fangxun/common';
import { checkCounts } from './order-counts';

const items = [
  { key: 'peopleMoved', label: '转移人数' },
  { key: 'households', label: '户数' },
];

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).details[0]?.field;
  }
  return undefined;
};

describe('feedback counts against what the order asked for', () => {
  it('keeps exactly the asked counts', () => {
    expect(checkCounts(items, { households: 4, peopleMoved: 12 })).toEqual({ peopleMoved: 12, households: 4 });
  });
  it('names a missing count, an unknown one and a bad number', () => {
    expect(fieldOf(() => checkCounts(items, { peopleMoved: 12 }))).toBe('counts.households');
    expect(fieldOf(() => checkCounts(items, { peopleMoved: 1, households: 1, boats: 3 }))).toBe('counts.boats');
    expect(fieldOf(() => checkCounts(items, { peopleMoved: -1, households: 1 }))).toBe('counts.peopleMoved');
    expect(fieldOf(() => checkCounts(items, { peopleMoved: 1.5, households: 1 }))).toBe('counts.peopleMoved');
  });
  it('an order asking for nothing takes no counts', () => {
    expect(checkCounts([], undefined)).toBeNull();
    expect(fieldOf(() => checkCounts([], { peopleMoved: 1 }))).toBe('counts.peopleMoved');
  });
});
