import { changedFields } from './audit-diff';
import { canonicalJson, HashedRow, isoMicros, rowHash } from './audit-hash';

const row: HashedRow = {
  seq: '1',
  at: '2026-07-01T08:00:00.123000Z',
  actorKind: 'user',
  actorId: 'u1',
  actorName: 'commander',
  role: 'commander',
  action: 'holder.update',
  entity: 'holder',
  entityId: 'h1',
  before: { name: '张三', active: true },
  after: { name: '李四', active: false },
  correlationId: 'req-1',
  incidentId: null,
  prevHash: '0'.repeat(64),
};

describe('audit hash', () => {
  it('canonical JSON sorts keys at every depth, so jsonb key order does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
    const reordered = { ...row, after: { active: false, name: '李四' } };
    expect(rowHash(reordered)).toBe(rowHash(row));
  });

  it('changes when any field or the previous hash changes', () => {
    const h = rowHash(row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(rowHash({ ...row, actorName: 'someone-else' })).not.toBe(h);
    expect(rowHash({ ...row, after: { name: '李四', active: true } })).not.toBe(h);
    expect(rowHash({ ...row, prevHash: '1'.repeat(64) })).not.toBe(h);
    expect(rowHash({ ...row, at: '2026-07-01T08:00:00.123001Z' })).not.toBe(h);
  });

  it('writes timestamps with microseconds, as PostgreSQL reads them back', () => {
    expect(isoMicros(new Date('2026-07-01T08:00:00.123Z'))).toBe('2026-07-01T08:00:00.123000Z');
  });
});

describe('changed fields', () => {
  it('keeps only the fields that differ and masks phone numbers, not ids', () => {
    const d = changedFields(
      { name: '王五', mobile: '13912345678', superiorId: 'a13912345678', active: true },
      { name: '王五', mobile: '13987654321', superiorId: 'b13912345678', active: true },
    );
    expect(d).toEqual({
      before: { mobile: '139****5678', superiorId: 'a13912345678' },
      after: { mobile: '139****4321', superiorId: 'b13912345678' },
    });
  });

  it('records a create as after only and a delete as before only, masked', () => {
    expect(changedFields(null, { mobile: '+8613912345678' })).toEqual({ before: null, after: { mobile: '+86139****5678' } });
    expect(changedFields({ otherPhones: ['13912345678'] }, null)).toEqual({ before: { otherPhones: ['139****5678'] }, after: null });
  });

  it('an update that changed nothing has nothing to record', () => {
    expect(changedFields({ a: 1, at: new Date(0) }, { a: 1, at: new Date(0) })).toEqual({ before: null, after: null });
  });
});
