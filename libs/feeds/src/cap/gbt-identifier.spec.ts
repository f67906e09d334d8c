import { buildGbtIdentifier, parseGbtIdentifier } from './gbt-identifier';

describe('GB/T 35965.1 identifiers', () => {
  it('parses admin code, sector, unit, extension, Beijing time and serial', () => {
    expect(parseGbtIdentifier('331082000QXT00_20270620083015_12')).toEqual({
      adminCode: '331082',
      sector: '000',
      unit: 'QXT',
      ext: '00',
      issuedAt: '2027-06-20T00:30:15.000Z',
      serial: 12,
    });
  });

  it('leaves other identifiers alone and refuses broken GB/T ones naming the identifier', () => {
    expect(parseGbtIdentifier('KSTO1055887203')).toBeUndefined();
    expect(parseGbtIdentifier('TRI13970876.2')).toBeUndefined();
    expect(() => parseGbtIdentifier('331082000QXT00_20270230080000_1')).toThrow(/impossible time/);
    expect(() => parseGbtIdentifier('33108200_20270620080000_1')).toThrow(/ZZZZZZDDDUUUXX/);
  });

  it('builds ours from the city code and the Beijing time, and reads it back', () => {
    const id = buildGbtIdentifier('331082', new Date('2027-06-20T16:05:00Z'), 3);
    expect(id).toBe('331082000FXH00_20270621000500_3');
    expect(parseGbtIdentifier(id)?.issuedAt).toBe('2027-06-20T16:05:00.000Z');
  });
});
