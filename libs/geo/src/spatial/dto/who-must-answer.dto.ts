import { ApiProperty } from '@nestjs/swagger';
import { DIVISION_LEVELS, DivisionLevel, HOLDER_ROLES, HolderRole } from '@fangxun/registry';
import { RISK_TYPES, RiskType } from '../../risk-objects/risk-object.types';
import { REASON_KINDS, ReasonKind } from '../who-must-answer.people';
import { AREA_RELATIONS, AreaSummaryDto, ScopeDto } from './spatial-common.dto';

export class ReasonViaDto {
  @ApiProperty({ required: false, example: 'LH-SH-001' }) riskObjectCode?: string;
  @ApiProperty({ required: false, example: '331082001001G01' }) divisionCode?: string;
  @ApiProperty({ required: false, format: 'uuid', description: 'the subordinate this person is the 包保 superior of' }) holderId?: string;
}

export class ReasonDto {
  @ApiProperty({ enum: REASON_KINDS }) kind!: ReasonKind;
  @ApiProperty({ type: ReasonViaDto }) via!: ReasonViaDto;
  @ApiProperty({ example: '山洪危险区 LH-SH-001 的责任人' }) text!: string;
}

export class AnswerablePersonDto {
  @ApiProperty({ format: 'uuid' }) holderId!: string;
  @ApiProperty({ example: '王建国' }) name!: string;
  @ApiProperty({ enum: HOLDER_ROLES }) role!: HolderRole;
  @ApiProperty({ enum: DIVISION_LEVELS }) level!: DivisionLevel;
  @ApiProperty({ example: '331082001001' }) divisionCode!: string;
  @ApiProperty({ example: '东湖村' }) divisionName!: string;
  @ApiProperty({ example: '+8613900000001' }) mobile!: string;
  @ApiProperty({ type: [String] }) otherPhones!: string[];
  @ApiProperty({ type: [ReasonDto] }) reasons!: ReasonDto[];
}

export class UnreachablePersonDto extends AnswerablePersonDto {
  @ApiProperty({ example: 'inactive: this holder is marked inactive in the registry and will not be called' }) unreachableReason!: string;
}

export class TouchedRiskObjectDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RISK_TYPES }) type!: RiskType;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ enum: AREA_RELATIONS }) relation!: string;
}

export class TouchedDivisionDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: DIVISION_LEVELS }) level!: DivisionLevel;
  @ApiProperty({ enum: AREA_RELATIONS }) relation!: string;
}

export class WhoMustAnswerDto {
  @ApiProperty({ type: AreaSummaryDto }) area!: AreaSummaryDto;
  @ApiProperty({ type: ScopeDto }) scope!: ScopeDto;
  @ApiProperty({ type: [TouchedRiskObjectDto], description: 'risk objects meeting the area (edge contact included)' })
  riskObjects!: TouchedRiskObjectDto[];
  @ApiProperty({ type: [TouchedDivisionDto], description: 'towns and villages sharing ground with the area (edge contact alone excluded)' })
  divisions!: TouchedDivisionDto[];
  @ApiProperty({ type: [AnswerablePersonDto], description: 'active holders, each once, city → town → village → grid' })
  people!: AnswerablePersonDto[];
  @ApiProperty({ type: [UnreachablePersonDto], description: 'inactive holders who would otherwise be included' })
  unreachable!: UnreachablePersonDto[];
}
