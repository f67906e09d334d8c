import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Neighbouring polygons that share an edge can be reported as overlapping by a sliver: an area
 * made from division boundaries is serialised as GeoJSON (15 digits) and read back, and
 * boundaries drawn by different hands never meet exactly. Such a sliver made a warning over one
 * town "share ground" with villages of the next town, and wake their holders. Here an overlap
 * whose shared area is below a millionth of the smaller of the two polygons (a town: ~100 m²;
 * a small village: a few m²) is what it is on the ground: touching. Points and lines keep the
 * plain DE-9IM answer. Only the 'overlapping' branch pays for the intersection.
 */
export class AreaRelationSlivers1764300000710 implements MigrationInterface {
  name = 'AreaRelationSlivers1764300000710';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create or replace function area_relation(g geometry, area geometry) returns text
      language plpgsql immutable strict parallel safe as $$
      declare m text;
      begin
        if st_containsproperly(area, g) then return 'inside'; end if;
        m := st_relate(g, area);
        if substr(m, 1, 1) = 'F' then return 'touching'; end if;
        if substr(m, 3, 1) = 'F' and substr(m, 6, 1) = 'F' then return 'inside'; end if;
        if substr(m, 7, 1) = 'F' and substr(m, 8, 1) = 'F' then return 'containing'; end if;
        if st_dimension(g) = 2 and st_dimension(area) = 2
           and st_area(st_intersection(g, area)) < 1e-6 * least(st_area(g), st_area(area)) then
          return 'touching';
        end if;
        return 'overlapping';
      end $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create or replace function area_relation(g geometry, area geometry) returns text
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
  }
}
