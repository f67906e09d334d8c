import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '@fangxun/common';
import { PG_CHECK_VIOLATION, pgError } from '@fangxun/database';
import { GeoErrors } from '../geo.errors';
import { ShelterRepository, ShelterRow } from './shelter.repository';

type Move = { occupancy: number; reserved: number; requireOpen: boolean; field: 'people' | 'places' };

/**
 * The live count of a shelter. Each move is one UPDATE whose WHERE holds the limits (see
 * ShelterRepository.shift); only when it refuses do we read the row, to say why: closed,
 * full (with the free places), or fewer people/reservations than asked to remove.
 */
@Injectable()
export class ShelterOccupancyService {
  constructor(private readonly shelters: ShelterRepository) {}

  /** People arrive; with `fromReserved` they had places held, which become occupied places. */
  checkIn(code: string, people: number, fromReserved: boolean | number, manager?: EntityManager): Promise<ShelterRow> {
    const held = typeof fromReserved === 'number' ? fromReserved : fromReserved ? people : 0;
    return this.move(code, { occupancy: people, reserved: -held, requireOpen: true, field: 'people' }, manager);
  }

  /** People leave; allowed from a closed shelter too (it closes, they go home). */
  checkOut(code: string, people: number, manager?: EntityManager): Promise<ShelterRow> {
    return this.move(code, { occupancy: -people, reserved: 0, requireOpen: false, field: 'people' }, manager);
  }

  /** Holds places for people on their way (a transfer under way). */
  reserve(code: string, places: number, manager?: EntityManager): Promise<ShelterRow> {
    return this.move(code, { occupancy: 0, reserved: places, requireOpen: true, field: 'places' }, manager);
  }

  release(code: string, places: number, manager?: EntityManager): Promise<ShelterRow> {
    return this.move(code, { occupancy: 0, reserved: -places, requireOpen: false, field: 'places' }, manager);
  }

  /** Holds places in the caller's transaction, or answers undefined (closed, full): the caller routes elsewhere. */
  tryReserve(code: string, places: number, manager: EntityManager): Promise<ShelterRow | undefined> {
    return this.shelters.shift(code, 0, places, true, manager);
  }

  /** With `manager`, inside the caller's transaction (the API's moves, with their audit row). */
  private async move(code: string, m: Move, manager?: EntityManager): Promise<ShelterRow> {
    // In a caller's transaction a failed statement would abort it: a savepoint keeps it usable
    // for reading why the move was refused.
    if (manager) await manager.query('savepoint occupancy_move');
    try {
      const row = await this.shelters.shift(code, m.occupancy, m.reserved, m.requireOpen, manager);
      if (row) return row;
    } catch (err) {
      // The table's check is the backstop: if a limit ever slipped past the WHERE, it is still a 409.
      const pg = pgError(err);
      if (!(pg?.code === PG_CHECK_VIOLATION && pg.constraint === 'shelters_capacity_is_a_hard_limit')) throw err;
      if (manager) await manager.query('rollback to savepoint occupancy_move');
    }
    // Read on the caller's connection: a second pool connection per refused move would exhaust
    // the pool when many moves race (each holding one in its transaction).
    throw await this.refusal(code, m, manager);
  }

  /** Why the move was refused, from the row as it is now. */
  private async refusal(code: string, m: Move, manager?: EntityManager): Promise<AppError> {
    const r = await this.shelters.findByCode(code, manager);
    if (!r) return new AppError(GeoErrors.ShelterNotFound, `shelter ${code} not found`, [{ field: 'code', problem: 'no such shelter' }]);
    if (m.requireOpen && !r.open) {
      return new AppError(GeoErrors.ShelterClosed, `shelter ${code} is closed`, [{ field: 'code', problem: 'the shelter is closed' }]);
    }
    if (r.occupancy + m.occupancy < 0) return negative(m.field, `only ${r.occupancy} people are checked in at ${code}`);
    if (r.reserved + m.reserved < 0) return negative(m.field, `only ${r.reserved} places are reserved at ${code}`);
    const free = Math.max(0, r.capacity - r.occupancy - r.reserved);
    const asked = m.occupancy + m.reserved;
    return new AppError(GeoErrors.ShelterFull, `shelter ${code} has ${free} free places; ${asked} asked`, [
      { field: m.field, problem: `${free} free places (capacity ${r.capacity}, ${r.occupancy} checked in, ${r.reserved} reserved)` },
    ]);
  }
}

function negative(field: string, problem: string): AppError {
  return new AppError(GeoErrors.ShelterCountWouldGoNegative, problem, [{ field, problem }]);
}
