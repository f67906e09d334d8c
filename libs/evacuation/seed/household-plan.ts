import { base, Faker, zh_CN } from '@faker-js/faker';
import type { HouseholdWrite, VulnerableMember } from '@fangxun/evacuation';
import type { EvacuationFacts } from '@fangxun/geo';

/** People per household where the register gives no household count: workers' sheds on sites, families elsewhere. */
const GROUP_SIZE: Partial<Record<EvacuationFacts['type'], number>> = { construction_site: 20 };
const FAMILY_SIZE = 3;
const ROUTES = [
  '沿村道步行至安置点',
  '由村口集合后统一车辆转移',
  '沿山脚小路绕开溪沟转移',
  '经机耕路转移，避开桥涵',
  '就近转移至高处后再送安置点',
];

/** Unique fake phones in the seed's reserved range, skipping numbers already used. */
export class HouseholdPhoneBook {
  private readonly used: Set<string>;
  private readonly digits: number;

  constructor(
    private readonly faker: Faker,
    private readonly prefix: string,
    taken: Iterable<string>,
  ) {
    this.digits = 11 - (prefix.length - 3);
    this.used = new Set(taken);
  }

  next(): string {
    const capacity = 10 ** this.digits;
    if (this.used.size >= capacity * 0.9) throw new Error(`the fake range ${this.prefix} is too full for the household seed`);
    let phone: string;
    do phone = `${this.prefix}${String(this.faker.number.int({ min: 0, max: capacity - 1 })).padStart(this.digits, '0')}`;
    while (this.used.has(phone));
    this.used.add(phone);
    return phone;
  }
}

export function householdFaker(randomSeed: number): Faker {
  const faker = new Faker({ locale: [zh_CN, base] });
  faker.seed([randomSeed, 0xe7ac]);
  return faker;
}

/**
 * Households of one risk object whose members add up to its threatened people, with its
 * vulnerable people placed in households that have room for them (never more vulnerable than
 * members), helpers as geo recorded them. Households alternate between the object's primary
 * and backup holder (包户到人); each goes to the object's first assigned shelter (none: the
 * nearest with room at dispatch).
 */
export function planHouseholds(o: EvacuationFacts, divisionId: string, faker: Faker, phones: HouseholdPhoneBook): HouseholdWrite[] {
  const people = o.threatenedPeople;
  const byRegister = o.threatenedHouseholds > 0 ? Math.min(o.threatenedHouseholds, people) : 0;
  const count = byRegister || Math.max(1, Math.ceil(people / (GROUP_SIZE[o.type] ?? FAMILY_SIZE)));
  const members = share(people, count, faker);
  const vulnerable = placeVulnerable(o.vulnerablePeople, members);
  return members.map((n, i) => ({
    code: `${o.code}-H${String(i + 1).padStart(3, '0')}`,
    riskObjectId: o.id,
    divisionId,
    headName: faker.person.lastName() + faker.person.firstName(),
    headPhone: phones.next(),
    members: n,
    responsibleHolderId: (i % 2 === 1 && o.backupHolderId) || o.primaryHolderId,
    shelterId: o.shelterIds[0] ?? null,
    routeNote: faker.helpers.arrayElement(ROUTES),
    address: null,
    vulnerable: vulnerable[i],
  }));
}

/** `total` people in `count` households of at least one, sizes varied but exact in sum. */
function share(total: number, count: number, faker: Faker): number[] {
  const out = new Array<number>(count).fill(1);
  for (let left = total - count; left > 0; left--) out[faker.number.int({ min: 0, max: count - 1 })]++;
  return out;
}

/** Each vulnerable person to the household with the most room left (members minus vulnerable placed). */
function placeVulnerable(people: EvacuationFacts['vulnerablePeople'], members: number[]): VulnerableMember[][] {
  const out = members.map((): VulnerableMember[] => []);
  for (const p of people) {
    let best = 0;
    for (let i = 1; i < members.length; i++) if (members[i] - out[i].length > members[best] - out[best].length) best = i;
    if (members[best] - out[best].length <= 0) throw new Error(`more vulnerable people than threatened people at one object`);
    out[best].push({
      name: p.name,
      category: p.category,
      needs: p.needs ?? null,
      helperName: p.helperName,
      helperPhone: p.helperPhone,
      helperHolderId: p.helperHolderId ?? null,
    });
  }
  return out;
}
