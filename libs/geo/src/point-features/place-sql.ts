/**
 * SQL fragments shared by the repositories of point places (shelters, teams, depots).
 * ST_Force2D: a point that arrives with an altitude is stored as longitude, latitude.
 */
export const pointParam = (i: number): string => `st_force2d(st_setsrid(st_geomfromgeojson($${i}::text), 4326))`;

/**
 * The division columns every place row carries. Joining the registry's divisions (path, code,
 * name only) scopes and labels each row in one statement — read-only, allowed for performance.
 */
export const divisionColumns = (d: string): string =>
  `${d}.code as "divisionCode", ${d}.name as "divisionName", ${d}.path::text as "divisionPath"`;
