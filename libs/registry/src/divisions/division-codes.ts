/**
 * Chinese statistical division codes (统计用区划代码) come in three lengths: 6 digits for the
 * county (331082), 9 for a town or street (331082004), 12 for a village (331082004201). The
 * 12-digit form pads the higher levels with zeros: a town is `331082004000`, the county
 * `331082000000`; CAP feeds (CPEAS geocodes) and GB/T 35965.1 messages send that form. Our
 * divisions carry the shortest form (city 6, town 9, village 12 digits; grids add a suffix).
 *
 * Returns the code our registry files the division under, or the input unchanged when it is
 * not a statistical code (our own grid codes, an issuer's private codes).
 */
export function divisionCodeOf(code: string): string {
  const c = code.trim();
  if (/^\d{12}$/.test(c)) {
    if (c.endsWith('000000')) return c.slice(0, 6);
    if (c.endsWith('000')) return c.slice(0, 9);
    return c;
  }
  if (/^\d{9}$/.test(c)) return c.endsWith('000') ? c.slice(0, 6) : c;
  return c;
}
