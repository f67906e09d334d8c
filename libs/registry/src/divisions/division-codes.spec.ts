import { divisionCodeOf } from './division-codes';

describe('statistical division codes to ours', () => {
  it.each([
    ['331082004000', '331082004'], // CPEAS town (街道) code
    ['331082004201', '331082004201'], // village
    ['331082000000', '331082'], // county in 12 digits
    ['331082004', '331082004'], // 9-digit town
    ['331082000', '331082'], // 9-digit county
    ['331082', '331082'], // 6-digit city
    [' 331082005000 ', '331082005'],
    ['331082001001G01', '331082001001G01'], // our grid codes pass through
    ['CN-ZJ-TZ', 'CN-ZJ-TZ'], // somebody else's code: unchanged (reported as unknown)
  ])('%s → %s', (input, ours) => expect(divisionCodeOf(input)).toBe(ours));
});
