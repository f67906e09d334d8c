import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { COMMAND_TIERS, INCIDENT_KINDS } from '@fangxun/config';

export class PlanGroupDto {
  @ApiProperty({ enum: COMMAND_TIERS }) tier!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class PlanSelectorDto {
  @ApiProperty({ enum: ['road', 'point'] }) kind!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() riskType!: string;
  @ApiProperty({ type: [String] }) nameContains!: string[];
  @ApiProperty() expected!: number;
}

export class PlanTemplateDto {
  @ApiProperty({ example: 'datian_plain_flood' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: INCIDENT_KINDS, isArray: true }) kinds!: string[];
  @ApiProperty({ type: [PlanGroupDto] }) groups!: PlanGroupDto[];
  @ApiProperty({ type: [String], description: 'codes of the steps it adds' }) steps!: string[];
  @ApiProperty({ type: [PlanSelectorDto] }) controlPoints!: PlanSelectorDto[];
}

export class ShortfallDto {
  @ApiProperty({ enum: ['road', 'point'] }) kind!: string;
  @ApiProperty() expected!: number;
  @ApiProperty() found!: number;
}

export class ControlPointDto {
  @ApiProperty() id!: string;
  @ApiProperty() planCode!: string;
  @ApiProperty({ enum: ['road', 'point'] }) kind!: string;
  @ApiProperty({ description: 'risk object code (libs/geo)' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['pending', 'controlled', 'released'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) statusAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) statusBy!: string | null;
}

export class PlanActivationDto {
  @ApiProperty() planCode!: string;
  @ApiProperty() activatedBy!: string;
  @ApiProperty() activatedAt!: string;
  @ApiProperty({ description: 'groups added' }) groups!: number;
  @ApiProperty({ description: 'steps added' }) steps!: number;
  @ApiProperty({ description: 'control points named' }) controlPoints!: number;
  @ApiProperty({ type: [ShortfallDto], description: 'selectors that found fewer risk objects than the plan names' })
  shortfall!: ShortfallDto[];
}

export class SetControlPointDto {
  @ApiProperty({ enum: ['pending', 'controlled', 'released'] }) @IsIn(['pending', 'controlled', 'released']) status!:
    'pending' | 'controlled' | 'released';
}
