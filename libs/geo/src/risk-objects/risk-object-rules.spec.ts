import type { RiskObjectProps } from './risk-object.types';
import { canonical, diffProps } from './risk-object-diff';
import {
  attributeProblems,
  geometryTypeProblem,
  holderProblem,
  normaliseAttributes,
  parseProperties,
  townPathOf,
} from './risk-object-rules';

const boat = { vesselNo: '浙临渔12345', homePort: '红脚岩渔港', crew: 6, inPort: true };
const base = { code: 'FB-001', name: '浙临渔12345', type: 'fishing_boat', divisionCode: '331082001', attributes: boat };

describe('per-type attributes', () => {
  it('accepts a fishing boat as its sheet has it, and refuses a key it does not have at attributes.<key>', () => {
    expect(attributeProblems('fishing_boat', boat)).toEqual([]);
    expect(attributeProblems('fishing_boat', { ...boat, crewSize: 6 })).toEqual([
      { field: 'attributes.crewSize', problem: 'not an attribute of a fishing_boat' },
    ]);
  });

  it('names each wrong or missing value', () => {
    const fields = attributeProblems('reservoir', { capacityClass: 'huge', floodLimitLevelM: '12' }).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['attributes.capacityClass', 'attributes.floodLimitLevelM', 'attributes.unsafe']));
    expect(attributeProblems('fishing_boat', { ...boat, vesselNo: 'ABC123' })).toEqual([
      { field: 'attributes.vesselNo', problem: 'must be a vessel number such as 浙临渔12345' },
    ]);
  });

  it('a seawall’s attributes are not a reservoir’s', () => {
    expect(attributeProblems('seawall', { capacityClass: 'small_i', unsafe: true, standardYears: 50 }).map((p) => p.field)).toEqual([
      'attributes.capacityClass',
      'attributes.unsafe',
    ]);
  });

  it('stores one spelling of "absent": nulls dropped, text trimmed', () => {
    expect(normaliseAttributes('fishing_boat', { ...boat, homePort: ' 红脚岩渔港 ', lengthM: null })).toEqual(boat);
  });
});

describe('feature properties', () => {
  it('reports every problem of a feature at once, with its path', () => {
    const { dto, problems } = parseProperties({ ...base, colour: 'red', threatenedPeople: -1, attributes: { ...boat, crew: 'six' } });
    expect(dto).toBeUndefined();
    expect(problems.map((p) => p.field).sort()).toEqual(['attributes.crew', 'colour', 'threatenedPeople']);
  });

  it('indicators belong to flash-flood zones, one per window, 立即转移 above 准备转移', () => {
    const { problems } = parseProperties({
      ...base,
      indicators: [
        { windowHours: 3, prepareMm: 60, immediateMm: 80 },
        { windowHours: 3, prepareMm: 70, immediateMm: 70 },
      ],
    });
    expect(problems).toEqual([
      { field: 'indicators', problem: expect.stringMatching(/only flash_flood_zone/) },
      { field: 'indicators[1].windowHours', problem: '3 h is given twice' },
      { field: 'indicators[1].immediateMm', problem: '立即转移 (70 mm) must be above 准备转移 (70 mm)' },
    ]);
  });

  it('a vulnerable person needs a named helper with a phone, or a holder; a backup needs a primary', () => {
    const holder = '0b6f0f8e-5f7e-4bb4-9a49-8b1b0f1d1c2a';
    const { problems } = parseProperties({
      ...base,
      backupHolderId: holder,
      shelters: ['S1', 'S1'],
      vulnerablePeople: [
        { name: '王阿婆', category: 'elderly', helperName: '王建国' },
        { name: '李大伯', category: 'disabled', helperHolderId: holder },
        { name: '张小妹', category: 'child', helperName: '张三', helperPhone: '139 1234 5678' },
      ],
    });
    expect(problems).toEqual([
      { field: 'shelters[1]', problem: 'shelter S1 is listed twice' },
      { field: 'vulnerablePeople[0].helperPhone', problem: 'give the helper’s phone, or helperHolderId' },
      { field: 'backupHolderId', problem: 'a backup (AB岗) needs a primary holder' },
    ]);
    expect(
      parseProperties({
        ...base,
        vulnerablePeople: [{ name: '张小妹', category: 'child', helperName: '张三', helperPhone: '139 1234 5678' }],
      }).dto?.vulnerablePeople?.[0].helperPhone,
    ).toBe('+8613912345678');
  });
});

describe('geometry, division and holders', () => {
  it('each type has the geometry its list draws', () => {
    expect(geometryTypeProblem('dilapidated_house', 'POINT')).toBeUndefined();
    expect(geometryTypeProblem('seawall', 'POINT')).toBe('a seawall is drawn as LineString or MultiLineString, not Point');
    expect(geometryTypeProblem('geo_hazard_zone', 'LINESTRING')).toMatch(/Polygon or MultiPolygon, not LineString/);
  });

  it('a holder must be active and work in the object’s town', () => {
    expect(townPathOf({ level: 'village', path: '331082.331082001.331082001001' })).toBe('331082.331082001');
    expect(townPathOf({ level: 'town', path: '331082.331082001' })).toBe('331082.331082001');
    const town = '331082.331082001';
    expect(holderProblem({ active: true, divisionPath: '331082.331082001.331082001001.G01' }, town)).toBeUndefined();
    expect(holderProblem({ active: false, divisionPath: town }, town)).toMatch(/not active/);
    expect(holderProblem({ active: true, divisionPath: '331082' }, town)).toMatch(/object’s town/);
    expect(holderProblem({ active: true, divisionPath: '331082.331082100' }, town)).toMatch(/object’s town/);
    expect(holderProblem(undefined, town)).toBe('no such holder');
  });
});

describe('what an import would change', () => {
  const props: RiskObjectProps = {
    ...base,
    type: 'fishing_boat',
    threatenedHouseholds: 0,
    threatenedPeople: 6,
    primaryHolderId: null,
    backupHolderId: null,
    shelters: [],
    vulnerablePeople: [
      { name: 'B', category: 'elderly', needs: null, helperName: 'h', helperPhone: '+8613900000001', helperHolderId: null },
      { name: 'A', category: 'elderly', needs: null, helperName: 'h', helperPhone: '+8613900000001', helperHolderId: null },
    ],
    indicators: [],
  };
  const geometry = '{"type":"Point","coordinates":[121.5,28.7]}';

  it('nothing, for the same entry with lists and keys in another order', () => {
    const again = {
      ...props,
      attributes: { inPort: true, crew: 6, homePort: '红脚岩渔港', vesselNo: '浙临渔12345' },
      vulnerablePeople: [...props.vulnerablePeople].reverse(),
    };
    expect(diffProps(props, geometry, again, geometry)).toEqual([]);
  });

  it('names the fields and attribute keys that differ', () => {
    const moved = { ...props, name: '新名', attributes: { ...boat, crew: 7 } };
    expect(diffProps(props, geometry, moved, geometry.replace('28.7', '28.8'))).toEqual(['name', 'attributes.crew', 'geometry']);
  });

  it('canonical JSON ignores key order only', () => {
    expect(canonical({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(canonical({ a: [{ c: 2, d: 1 }], b: 1 }));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });
});
