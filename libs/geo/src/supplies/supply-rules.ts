/**
 * Stock categories, fixed so that the bulletin can say "170 boats, 793 satellite phones"
 * across depots. The item inside a category is free text (冲锋舟, 橡皮艇, 卫星电话 …) with its unit.
 */
export const STOCK_CATEGORIES = [
  'boats',
  'communications',
  'lighting',
  'pumps',
  'power',
  'rescue_gear',
  'shelter_goods',
  'medical',
  'other',
] as const;
export type StockCategory = (typeof STOCK_CATEGORIES)[number];

/** numeric(12, 2): quantities up to a billion, to the hundredth (tonnes of sandbags, litres of fuel). */
export const MAX_QUANTITY = 1_000_000_000;
