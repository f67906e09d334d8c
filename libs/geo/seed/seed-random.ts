import { base, Faker, zh_CN } from '@faker-js/faker';
import { isChineseMobile } from '@fangxun/registry';

/**
 * Randomness of the geo seed: one faker seeded from config.seed.randomSeed (a different stream
 * from the registry seed's), integer seeds for ST_GeneratePoints, exact apportioning.
 */
export function seededFaker(randomSeed: number): Faker {
  const faker = new Faker({ locale: [zh_CN, base] });
  faker.seed([randomSeed, 0x9e0]);
  return faker;
}

/** Seed for ST_GeneratePoints in one area/group: stable per (random seed, key), always > 0. */
export function pointSeed(randomSeed: number, key: string): number {
  let h = 0x811c9dc5 ^ randomSeed;
  for (const ch of `geo:${randomSeed}:${key}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return ((h >>> 1) % 2_000_000_000) + 1;
}

/**
 * `total` shared out by `weights` (largest remainder), each share between `min` and `max`;
 * ties go to the earlier entry. Used wherever the summary gives an exact total (1,130 team
 * members, 170 boats) that has to come out of random-looking parts.
 */
export function apportion(total: number, weights: number[], min = 0, maxes: number | number[] = Number.MAX_SAFE_INTEGER): number[] {
  const n = weights.length;
  const max = (i: number) => (Array.isArray(maxes) ? maxes[i] : maxes);
  if (total < min * n || total > sum(weights.map((_, i) => max(i))))
    throw new Error(`cannot share ${total} into ${n} parts of ${min}..${String(maxes)}`);
  const out = new Array<number>(n).fill(min);
  let left = total - min * n;
  let open = weights.map((_, i) => i);
  while (left > 0) {
    const w = open.reduce((s, i) => s + Math.max(weights[i], 1e-9), 0);
    const exact = open.map((i) => ({ i, x: (left * Math.max(weights[i], 1e-9)) / w }));
    let given = 0;
    for (const e of exact) {
      const add = Math.min(Math.floor(e.x), max(e.i) - out[e.i]);
      out[e.i] += add;
      given += add;
    }
    const rest = exact
      .filter((e) => out[e.i] < max(e.i))
      .sort((a, b) => b.x - Math.floor(b.x) - (a.x - Math.floor(a.x)) || a.i - b.i)
      .slice(0, left - given);
    for (const e of rest) out[e.i]++;
    left -= given + rest.length;
    open = open.filter((i) => out[i] < max(i));
  }
  return out;
}

/** `k` distinct items drawn with probability by weight (Efraimidis–Spirakis keys); weight 0 is never drawn. */
export function weightedSample<T>(faker: Faker, items: T[], weight: (t: T) => number, k: number): T[] {
  const keyed = items
    .map((item, i) => ({ item, i, w: weight(item) }))
    .filter((x) => x.w > 0)
    .map((x) => ({ ...x, key: Math.log(faker.number.float({ min: 1e-12, max: 1 })) / x.w }))
    .sort((a, b) => b.key - a.key || a.i - b.i);
  if (keyed.length < k) throw new Error(`need ${k} items, only ${keyed.length} are eligible`);
  return keyed.slice(0, k).map((x) => x.item);
}

/** An integer in [min, max] leaning towards min: most ponds are small, a few are large. */
export function skewedInt(faker: Faker, min: number, max: number, power = 2): number {
  return min + Math.floor(faker.number.float({ min: 0, max: 0.999999 }) ** power * (max - min + 1));
}

/** Person names as a local register reads: a zh_CN surname and given name. */
export function personName(faker: Faker): string {
  return faker.person.lastName() + faker.person.firstName();
}

/**
 * Fake phones for the people the geo seed invents (vulnerable people's relatives, team
 * contacts), in the reserved config.seed.fakePhonePrefix range. The registry seed draws its
 * numbers at random over the whole range, so there is no free sub-range: numbers the registry
 * already uses (HolderService.phonesStartingWith) are skipped, and none is handed out twice.
 */
export class GeoPhoneBook {
  private readonly used: Set<string>;
  private readonly digits: number;

  constructor(
    private readonly faker: Faker,
    private readonly prefix: string,
    taken: Iterable<string>,
  ) {
    if (!prefix.startsWith('+86')) throw new Error(`fake phone prefix ${prefix} is not a Chinese number`);
    this.digits = 11 - (prefix.length - 3);
    this.used = new Set(taken);
  }

  next(): string {
    const capacity = 10 ** this.digits;
    if (this.used.size >= capacity / 2) throw new Error(`the fake range ${this.prefix} is too full for the geo seed`);
    let phone: string;
    do phone = `${this.prefix}${String(this.faker.number.int({ min: 0, max: capacity - 1 })).padStart(this.digits, '0')}`;
    while (this.used.has(phone));
    this.used.add(phone);
    if (!isChineseMobile(phone)) throw new Error(`${phone} (from seed.fakePhonePrefix) is not a valid Chinese mobile number`);
    return phone;
  }
}

/** 1 → 一 … 99 → 九十九, for names such as 第三分队. */
export function chineseNumber(n: number): string {
  const d = [...'零一二三四五六七八九'];
  if (n < 10) return d[n];
  if (n < 20) return `十${n % 10 ? d[n % 10] : ''}`;
  return `${d[Math.floor(n / 10)]}十${n % 10 ? d[n % 10] : ''}`;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
