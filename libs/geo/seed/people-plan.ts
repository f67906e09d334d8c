import type { Faker } from '@faker-js/faker';
import type { VulnerableCategory } from '@fangxun/geo';
import type { IndicatorSeed, SeedHolder, VulnerableSeed } from './geo-seed.model';
import { SeedFrame } from './seed-frame';
import { GeoPhoneBook, pad, personName } from './seed-random';

/** What the plan of one object needs besides its own data. */
export interface PlanContext {
  faker: Faker;
  frame: SeedFrame;
  phones: GeoPhoneBook;
  randomSeed: number;
}

/** Hands out object codes `<prefix>-<division>-<nn>`, numbered per prefix and division. */
export class Coder {
  private readonly next = new Map<string, number>();

  code(prefix: string, divisionCode: string, width = 2): string {
    const key = `${prefix}-${divisionCode}`;
    const n = (this.next.get(key) ?? 0) + 1;
    this.next.set(key, n);
    return `${key}-${pad(n, width)}`;
  }
}

/** Primary and backup (AB岗) must both exist and differ; a gap in the registry is a seed bug worth stopping for. */
export function pair(what: string, primary: SeedHolder | undefined, backup: SeedHolder | undefined): [SeedHolder, SeedHolder] {
  if (!primary || !backup || primary.id === backup.id) throw new Error(`no primary and distinct backup holder for ${what}`);
  return [primary, backup];
}

const CATEGORIES: Array<{ value: VulnerableCategory; weight: number }> = [
  { value: 'elderly', weight: 62 },
  { value: 'disabled', weight: 20 },
  { value: 'ill', weight: 9 },
  { value: 'child', weight: 5 },
  { value: 'pregnant', weight: 4 },
];

const NEEDS: Record<VulnerableCategory, Array<string | null>> = {
  elderly: ['独居老人，行动迟缓，需搀扶', '高龄，需专人陪同转移', '听力差，需当面通知', null],
  disabled: ['轮椅，需两人背运', '肢体残疾，需担架', '视力障碍，需专人引导', '聋哑，需当面通知'],
  ill: ['卧床，需担架和车辆', '需携带常用药品', '长期透析，需就近安置医疗点'],
  child: ['留守儿童，随祖辈转移', '年幼，需监护人陪同'],
  pregnant: ['临近预产期，优先转移并联系卫生院', '孕晚期，需车辆转移'],
  other: [null],
};

/**
 * `count` vulnerable people in a village with their named helpers (一户一策): about half are
 * helped by a responsibility holder (the object's primary holder or the village lead), the
 * others by a relative, whose phone comes from the fake range.
 */
export function vulnerablePeople(ctx: PlanContext, villageCode: string, primary: SeedHolder, count: number): VulnerableSeed[] {
  const { faker, frame, phones } = ctx;
  const out: VulnerableSeed[] = [];
  for (let i = 0; i < count; i++) {
    const category = faker.helpers.weightedArrayElement(CATEGORIES);
    const name = personName(faker);
    const needs = faker.helpers.arrayElement(NEEDS[category]);
    const holder = faker.datatype.boolean() ? faker.helpers.arrayElement([primary, frame.villageLead(villageCode) ?? primary]) : undefined;
    out.push(
      holder
        ? { name, category, needs, helperName: holder.name, helperPhone: holder.mobile, helperHolderId: holder.id }
        : {
            name,
            category,
            needs,
            helperName: name.slice(0, 1) + faker.person.firstName(),
            helperPhone: phones.next(),
            helperHolderId: null,
          },
    );
  }
  return out;
}

/**
 * 准备转移 / 立即转移 critical rainfall of one flash-flood village over 1/3/6/24 h. The shape
 * follows the Hunan county table in domain.md §3 (35/55/70/100 and 80/120/150/200 mm); each
 * village is scaled by its own factor (a steep small catchment reacts to less rain), so the
 * windows stay in order and 立即转移 always exceeds 准备转移.
 */
export function flashFloodIndicators(faker: Faker): IndicatorSeed[] {
  const scale = faker.number.float({ min: 0.8, max: 1.25 });
  const spread = faker.number.float({ min: 0.92, max: 1.08 });
  const base: Array<[IndicatorSeed['windowHours'], number, number]> = [
    [1, 35, 80],
    [3, 55, 120],
    [6, 70, 150],
    [24, 100, 200],
  ];
  return base.map(([windowHours, prepare, immediate]) => ({
    windowHours,
    prepareMm: Math.round(prepare * scale),
    immediateMm: Math.round(immediate * scale * spread),
  }));
}
