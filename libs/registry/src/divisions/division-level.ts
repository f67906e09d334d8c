/** The levels of the division tree: the city, a town/street (镇街), a village (村/社区) or a grid (网格). */
export const DIVISION_LEVELS = ['city', 'town', 'village', 'grid'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];
