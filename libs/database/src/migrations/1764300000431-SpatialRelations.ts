import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How a geometry relates to an area, in the words the command room uses, computed in one place
 * for the registry's divisions and geo's risk objects alike:
 *   inside      – covered by the area (boundary contact from inside included)
 *   touching    – only the boundaries meet
 *   containing  – the geometry covers the whole area (a town around a small drawn polygon)
 *   overlapping – anything else that intersects
 * Only called on rows already found to intersect (through a GiST index).
 */
export class SpatialRelations1764300000431 implements MigrationInterface {
  name = 'SpatialRelations1764300000431';

  async up(q: QueryRunner): Promise<void> {
    // ST_ContainsProperly uses PostGIS's prepared-geometry cache for the repeated area, so the
    // common case (well inside a big area) skips the full DE-9IM matrix. The matrix reads
    // II IB IE / BI BB BE / EI EB EE (positions 1..9) of geometry against area.
    await q.query(`
      create function area_relation(g geometry, area geometry) returns text
      language plpgsql immutable strict parallel safe as $$
      declare m text;
      begin
        if st_containsproperly(area, g) then return 'inside'; end if;
        m := st_relate(g, area);
        if substr(m, 1, 1) = 'F' then return 'touching'; end if;
        if substr(m, 3, 1) = 'F' and substr(m, 6, 1) = 'F' then return 'inside'; end if;
        if substr(m, 7, 1) = 'F' and substr(m, 8, 1) = 'F' then return 'containing'; end if;
        return 'overlapping';
      end $$`);
    // Circles are geodesic (metres on the WGS 84 spheroid), not circles in degrees. The farthest
    // point of a polygon or line from the centre is one of its vertices.
    await q.query(`
      create function circle_relation(g geometry, center geography, radius_m float8) returns text
      language plpgsql immutable strict parallel safe as $$
      declare near float8; far float8;
      begin
        near := st_distance(g::geography, center);
        if near > radius_m then return null; end if;
        if near = radius_m then return 'touching'; end if;
        select max(st_distance((p).geom::geography, center)) into far from st_dumppoints(g) p;
        if far <= radius_m then return 'inside'; end if;
        if st_dimension(g) = 2 and st_covers(g, center::geometry)
           and st_distance(st_boundary(g)::geography, center) >= radius_m then
          return 'containing';
        end if;
        return 'overlapping';
      end $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop function circle_relation(geometry, geography, float8)');
    await q.query('drop function area_relation(geometry, geometry)');
  }
}
