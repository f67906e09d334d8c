import { Injectable } from '@nestjs/common';
import { AppError, CommonErrors } from '@fangxun/common';
import { WhoMustAnswerService } from '@fangxun/geo';
import type { HolderRow } from '@fangxun/registry';
import { DivisionService, HolderService } from '@fangxun/registry';
import type { CreateOrderDto } from './dto/order.dto';
import type { NewTarget } from './order.repository';

/** The town a path counts under on the board: its second level, else the city itself. */
export function townOf(path: string): string {
  const parts = path.split('.');
  return parts[1] ?? parts[0];
}

const unprocessable = (field: string, problem: string) =>
  new AppError(CommonErrors.Unprocessable, `${field}: ${problem}`, [{ field, problem }]);

/**
 * An order's addressees → targets with the people called for each: a town by its town
 * holders (geo's "who must answer", reason `town_holder`: the town's own administrative
 * holders, not its villages), a group by the members named, a person as named. Unknown towns
 * or people are refused (422 naming the item); inactive people are left out (never called).
 */
@Injectable()
export class OrderTargets {
  constructor(
    private readonly divisions: DivisionService,
    private readonly holders: HolderService,
    private readonly who: WhoMustAnswerService,
  ) {}

  async resolve(dto: CreateOrderDto): Promise<NewTarget[]> {
    const towns = [...new Set(dto.towns ?? [])];
    const people = [...new Set(dto.people ?? [])];
    const groups = dto.groups ?? [];
    if (!towns.length && !people.length && !groups.length)
      throw new AppError(CommonErrors.Validation, 'an order needs at least one town, group or person', [
        { field: 'towns', problem: 'name at least one town, group or person' },
      ]);
    const root = await this.divisions.rootRef();
    const targets: NewTarget[] = [];
    const refs = await this.divisions.findRefsByCodes(towns);
    for (const [i, code] of towns.entries()) {
      const d = refs.get(code);
      if (!d || d.level !== 'town') throw unprocessable(`towns[${i}]`, 'no such town');
      targets.push({ kind: 'town', ref: code, label: d.name, townCode: code, scopePath: d.path, people: await this.townHolders(code) });
    }
    const named = await this.rows([...people, ...groups.flatMap((g) => g.holderIds)]);
    people.forEach((id, i) => {
      const h = named.get(id);
      if (!h) throw unprocessable(`people[${i}]`, 'no such responsibility holder');
      targets.push({
        kind: 'person',
        ref: id,
        label: h.name,
        townCode: townOf(h.divisionPath),
        scopePath: h.divisionPath,
        people: h.active ? [person(h)] : [],
      });
    });
    groups.forEach((g, i) => {
      g.holderIds.forEach((id, j) => {
        if (!named.has(id)) throw unprocessable(`groups[${i}].holderIds[${j}]`, 'no such responsibility holder');
      });
      targets.push({
        kind: 'group',
        ref: (g.groupId ?? g.name).slice(0, 64),
        label: g.name,
        townCode: root?.code ?? '',
        scopePath: root?.path ?? '',
        people: [...new Set(g.holderIds)]
          .map((id) => named.get(id)!)
          .filter((h) => h.active)
          .map(person),
      });
    });
    return targets;
  }

  private async rows(ids: string[]): Promise<Map<string, HolderRow>> {
    if (!ids.length) return new Map();
    return new Map((await this.holders.findRows([...new Set(ids)])).map((h) => [h.id, h]));
  }

  private async townHolders(code: string): Promise<NewTarget['people']> {
    const answer = await this.who.resolve({ divisionCodes: [code] });
    return answer.people
      .filter((p) => p.divisionCode === code && p.reasons.some((r) => r.kind === 'town_holder'))
      .map((p) => ({ holderId: p.holderId, name: p.name, divisionCode: p.divisionCode }));
  }
}

function person(h: HolderRow): NewTarget['people'][number] {
  return { holderId: h.id, name: h.name, divisionCode: h.divisionCode };
}
