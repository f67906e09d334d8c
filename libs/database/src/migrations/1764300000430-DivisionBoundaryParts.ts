import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registry-owned: town and city boundaries have hundreds to thousands of vertices, so a GiST
 * probe against them tests one box covering a whole town and then the whole outline. Like
 * risk_object_parts (Geo migration), each boundary is kept cut into pieces of at most 256
 * vertices, maintained by a trigger; spatial queries test the pieces and keep one row per
 * division (DISTINCT). `level` is copied so a query for grids does not touch the city's pieces.
 */
export class DivisionBoundaryParts1764300000430 implements MigrationInterface {
  name = 'DivisionBoundaryParts1764300000430';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table division_boundary_parts (
        division_id uuid not null references divisions(id) on delete cascade,
        level division_level not null,
        geom geometry(Geometry, 4326) not null
      )`);
    await q.query('create index division_boundary_parts_geom_gist on division_boundary_parts using gist (geom)');
    // Circles are measured on the spheroid (ST_DWithin on geography); this index serves them.
    await q.query('create index division_boundary_parts_geog_gist on division_boundary_parts using gist ((geom::geography))');
    await q.query('create index division_boundary_parts_division_idx on division_boundary_parts (division_id)');
    await q.query(`
      create function divisions_subdivide() returns trigger language plpgsql as $$
      begin
        delete from division_boundary_parts where division_id = new.id;
        if new.boundary is not null then
          insert into division_boundary_parts (division_id, level, geom)
            select new.id, new.level, st_subdivide(new.boundary, 256);
        end if;
        return new;
      end $$`);
    await q.query(`
      create trigger divisions_subdivide after insert or update of boundary, level on divisions
      for each row execute function divisions_subdivide()`);
    await q.query(`
      insert into division_boundary_parts (division_id, level, geom)
      select id, level, st_subdivide(boundary, 256) from divisions where boundary is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop trigger divisions_subdivide on divisions');
    await q.query('drop function divisions_subdivide()');
    await q.query('drop table division_boundary_parts');
  }
}
