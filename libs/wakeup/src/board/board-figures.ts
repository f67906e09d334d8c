import { Injectable } from '@nestjs/common';
import { BoardRepository, CountedRow, neededFor, SHARES, TallyRow } from './board.repository';

/** Known n-th answer times kept at most (they never change once there; cleared when full). */
const MAX_CACHED = 10_000;

/**
 * A board's figures per campaign and town plus the campaign's total (townCode null), in the
 * order the board lists them. Reads the kept counters, the silent calls past their deadline and,
 * for each share of recipients reached, the one answer that reached it — never every call.
 * Answer times are cached by (campaign, town, n): the n-th answer's time does not change.
 */
@Injectable()
export class BoardFigures {
  private readonly nth = new Map<string, number>();

  constructor(private readonly board: BoardRepository) {}

  /** `withinPath` null = the whole campaign; a town's path = that town; deeper = counted from that area's calls. */
  async tallies(campaignIds: string[], withinPath: string | null, now: Date): Promise<TallyRow[]> {
    const depth = withinPath ? withinPath.split('.').length : 1;
    if (withinPath && depth > 2) return this.board.fromCalls(campaignIds, withinPath, now);
    const town = depth === 2 ? withinPath!.split('.')[1] : null;
    const [counted, unreached] = await Promise.all([this.board.counted(campaignIds, town), this.board.unreached(campaignIds, town, now)]);
    const out: TallyRow[] = [];
    for (const campaignId of campaignIds) {
      const towns = counted.filter((c) => c.campaignId === campaignId);
      if (!towns.length) continue;
      const rows = towns.map((c) => ({ ...c, unreached: unreached.get(`${campaignId}:${c.townCode}`) ?? 0 }));
      const total = { ...sum(campaignId, towns), unreached: rows.reduce((n, r) => n + r.unreached, 0) };
      out.push(await this.timed({ ...total, townCode: null }, null));
      for (const r of rows) out.push(await this.timed(r, r.townCode));
    }
    return out;
  }

  private async timed(t: Omit<TallyRow, 'secondsTo50' | 'secondsTo90' | 'secondsTo100'>, town: string | null): Promise<TallyRow> {
    const [secondsTo50, secondsTo90, secondsTo100] = await Promise.all(
      SHARES.map(async (share) => {
        const needed = neededFor(t.recipients, share);
        if (needed === 0 || t.acknowledged < needed) return null;
        const key = `${t.campaignId}:${town ?? '*'}:${needed}`;
        const known = this.nth.get(key);
        if (known !== undefined) return known;
        const s = await this.board.nthAnswerSeconds(t.campaignId, town, needed);
        if (s !== null) {
          if (this.nth.size >= MAX_CACHED) this.nth.clear();
          this.nth.set(key, s);
        }
        return s;
      }),
    );
    return { ...t, secondsTo50, secondsTo90, secondsTo100 };
  }
}

function sum(campaignId: string, towns: CountedRow[]): Omit<CountedRow, 'townCode'> {
  const add = (k: keyof Omit<CountedRow, 'campaignId' | 'townCode'>) => towns.reduce((n, t) => n + t[k], 0);
  return {
    campaignId,
    recipients: add('recipients'),
    delivered: add('delivered'),
    acknowledged: add('acknowledged'),
    done: add('done'),
    late: add('late'),
    escalated: add('escalated'),
    smsCapped: add('smsCapped'),
    stoodDown: add('stoodDown'),
    cancelled: add('cancelled'),
  };
}
