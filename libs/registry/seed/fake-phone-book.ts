import type { Faker } from '@faker-js/faker';
import { isChineseMobile } from '@fangxun/registry';
import { pad } from './seed-util';

/**
 * Unique numbers in the reserved fake range (config seed.fakePhonePrefix): '+86199000' leaves 5
 * digits, 100,000 numbers for ~5,400 people and duty lines. Drawn at random without repeats so
 * they look like a register, and each checked as a Chinese mobile so the API would accept it.
 */
export class FakePhoneBook {
  private readonly used = new Set<number>();
  private readonly digits: number;

  constructor(
    private readonly faker: Faker,
    private readonly prefix: string,
  ) {
    if (!prefix.startsWith('+86')) throw new Error(`fake phone prefix ${prefix} is not a Chinese number`);
    this.digits = 11 - (prefix.length - 3);
  }

  next(): string {
    const capacity = 10 ** this.digits;
    if (this.used.size >= capacity / 2) throw new Error(`the fake range ${this.prefix} is too small for the seed`);
    let n: number;
    do n = this.faker.number.int({ min: 0, max: capacity - 1 });
    while (this.used.has(n));
    this.used.add(n);
    const phone = `${this.prefix}${pad(n, this.digits)}`;
    if (!isChineseMobile(phone)) throw new Error(`${phone} (from seed.fakePhonePrefix) is not a valid Chinese mobile number`);
    return phone;
  }
}
