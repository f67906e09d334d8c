import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, assertInScope, CommonErrors, Principal, validationError } from '@fangxun/common';
import { RiskObjectService } from '@fangxun/geo';
import { DivisionService } from '@fangxun/registry';
import type { RaiseOrderDto } from './transfer-order.dto';
import { RaisedOrder, TransferOrderService } from './transfer-order.service';
import { TransferOrderIncidents } from './transfer-order-incidents';

/** A commander's (or a town's) transfer order over named risk objects or divisions, inside the caller's area. */
@Injectable()
export class ManualTransferOrders {
  constructor(
    private readonly orders: TransferOrderService,
    private readonly riskObjects: RiskObjectService,
    private readonly divisions: DivisionService,
    private readonly incidents: TransferOrderIncidents,
  ) {}

  async raise(principal: Principal, dto: RaiseOrderDto): Promise<RaisedOrder> {
    if (!!dto.riskObjectCodes === !!dto.divisionCodes) {
      throw validationError(
        dto.riskObjectCodes ? 'divisionCodes' : 'riskObjectCodes',
        'give exactly one of riskObjectCodes or divisionCodes',
      );
    }
    const codes = [...new Set(dto.riskObjectCodes ?? [])];
    const refs = await this.riskObjects.refsByCodes(codes);
    const missing = codes.filter((c) => !refs.some((r) => r.code === c));
    if (missing.length) {
      throw new AppError(CommonErrors.Unprocessable, `no such risk object: ${missing.slice(0, 5).join(', ')}`, [
        { field: 'riskObjectCodes', problem: `no such risk object: ${missing.slice(0, 5).join(', ')}` },
      ]);
    }
    for (const r of refs) assertInScope(principal, r.divisionPath, 'riskObjectCodes');
    const divisions = [];
    for (const code of new Set(dto.divisionCodes ?? [])) divisions.push(await this.divisions.getInScope(principal, code, 'divisionCodes'));
    if (dto.incidentId) await this.incidents.requireActive(dto.incidentId);
    const who = principal.kind === 'user' ? principal.username : `key:${principal.name}`;
    return this.orders.raise({
      level: dto.level,
      source: 'manual',
      sourceKey: `manual:${who}:${dto.requestKey ?? randomUUID()}`,
      riskObjectIds: refs.map((r) => r.id),
      divisionPaths: divisions.map((d) => d.path),
      divisionCodes: divisions.map((d) => d.code),
      incidentId: dto.incidentId ?? null,
      title: dto.title,
      reason: dto.reason ?? null,
      drill: dto.drill ?? false,
      createdBy: who.slice(0, 100),
      actor: principal,
    });
  }
}
