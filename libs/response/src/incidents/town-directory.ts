import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppError } from '@fangxun/common';
import { ResponseErrors } from '../response.errors';

export interface Town {
  code: string;
  name: string;
  path: string;
}

/**
 * The towns a response can name, read through registry's exported `registry_divisions` view
 * (test/architecture/table-ownership.ts): a town code given by a commander or found by a rule
 * becomes its path for area scoping.
 */
@Injectable()
export class TownDirectory {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async all(): Promise<Town[]> {
    return this.ds.query(`select code, name, path::text as path from registry_divisions where level = 'town' order by code`);
  }

  /** Towns by code, in the given order; 422 naming the first code that is not a town. */
  async resolve(codes: string[], field = 'townCodes'): Promise<Town[]> {
    const unique = [...new Set(codes)];
    const rows: Town[] = await this.ds.query(
      `select code, name, path::text as path from registry_divisions where level = 'town' and code = any($1::text[])`,
      [unique],
    );
    const byCode = new Map(rows.map((r) => [r.code, r]));
    return unique.map((c) => {
      const t = byCode.get(c);
      if (!t) {
        const i = codes.indexOf(c);
        throw new AppError(ResponseErrors.UnknownTown, `${c} is not a town`, [
          { field: `${field}[${i}]`, problem: 'no town with this code' },
        ]);
      }
      return t;
    });
  }

  /** The towns of these division paths (a village's town, the town itself); the city's path means every town. */
  async ofPaths(paths: string[]): Promise<{ towns: Town[]; cityWide: boolean }> {
    const codes = new Set<string>();
    let city = false;
    for (const p of paths) {
      const parts = p.split('.');
      if (parts.length === 1) city = true;
      else codes.add(parts[1]);
    }
    if (city) return { towns: await this.all(), cityWide: true };
    const rows: Town[] = await this.ds.query(
      `select code, name, path::text as path from registry_divisions where level = 'town' and code = any($1::text[]) order by code`,
      [[...codes]],
    );
    return { towns: rows, cityWide: false };
  }
}
