import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import type { IncidentKind, ResponseLevel } from '@fangxun/config';
import { INCIDENT_KINDS, RESPONSE_LEVELS } from '@fangxun/config';
import type { IncidentStatus } from './incident.types';
import { INCIDENT_STATUSES, LEVEL_ACTIONS } from './incident.types';

const TOWN_CODE = /^\d{9}$/;
const MAX_TOWNS = 50;

class TownScopeFields {
  @ApiPropertyOptional({ type: [String], maxItems: MAX_TOWNS, example: ['331082004', '331082005'], description: '9-digit town codes' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TOWNS)
  @Matches(TOWN_CODE, { each: true, message: 'each town code has 9 digits' })
  townCodes?: string[];
  @ApiPropertyOptional({ default: false, description: 'the whole city (then townCodes is not given)' })
  @IsOptional()
  @IsBoolean()
  cityWide?: boolean;
}

/** Every commander's change names the version it saw (optimistic lock) and why. */
class ChangeFields {
  @ApiProperty({ description: 'the incident version this change is based on; another change since then → 409' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version!: number;
  @ApiProperty({ example: '大田站3小时雨量超100毫米，会商决定' }) @IsString() @Length(2, 500) reason!: string;
}

export class StartIncidentDto extends TownScopeFields {
  @ApiProperty({ enum: INCIDENT_KINDS }) @IsIn(INCIDENT_KINDS) kind!: IncidentKind;
  @ApiProperty({ enum: RESPONSE_LEVELS }) @IsIn(RESPONSE_LEVELS) level!: ResponseLevel;
  @ApiPropertyOptional({ example: '临防指〔2027〕12号' }) @IsOptional() @IsString() @Length(2, 60) orderNo?: string;
  @ApiProperty({ example: '会商决定启动防汛Ⅳ级应急响应' }) @IsString() @Length(2, 500) reason!: string;
}

export class ConfirmIncidentDto extends ChangeFields {
  @ApiPropertyOptional({ example: '临防指〔2027〕12号' }) @IsOptional() @IsString() @Length(2, 60) orderNo?: string;
}

export class DismissIncidentDto extends ChangeFields {}

export class ChangeLevelDto extends ChangeFields {
  @ApiProperty({ enum: RESPONSE_LEVELS }) @IsIn(RESPONSE_LEVELS) level!: ResponseLevel;
  @ApiPropertyOptional({ example: '临防指〔2027〕13号' }) @IsOptional() @IsString() @Length(2, 60) orderNo?: string;
}

export class WidenScopeDto extends ChangeFields {
  @ApiPropertyOptional({ type: [String], maxItems: MAX_TOWNS, description: 'towns to add' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TOWNS)
  @Matches(TOWN_CODE, { each: true, message: 'each town code has 9 digits' })
  townCodes?: string[];
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() cityWide?: boolean;
}

export class EndIncidentDto extends ChangeFields {
  @ApiPropertyOptional({ default: false, description: 'end even with open work (transfer orders, …); recorded in the history' })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class ListIncidentsQuery {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES }) @IsOptional() @IsIn(INCIDENT_STATUSES) status?: IncidentStatus;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class ProposalDto {
  @ApiProperty() rule!: string;
  @ApiProperty({ enum: RESPONSE_LEVELS }) level!: string;
  @ApiProperty({ type: [String] }) townCodes!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) evidence!: Record<string, unknown>;
  @ApiProperty() at!: string;
}

export class IncidentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: INCIDENT_KINDS }) kind!: string;
  @ApiProperty({ enum: RESPONSE_LEVELS }) level!: string;
  @ApiProperty({ example: 'Ⅳ级应急响应（一般）' }) levelLabel!: string;
  @ApiProperty() cityWide!: boolean;
  @ApiProperty({ type: [String], description: "towns in scope; a town's user sees its own town only" }) townCodes!: string[];
  @ApiProperty({ enum: ['city', 'town'], description: 'town: the part of the incident in your area' }) view!: 'city' | 'town';
  @ApiProperty({ nullable: true, type: String }) orderNo!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status!: string;
  @ApiProperty({ enum: ['rule', 'manual'] }) source!: string;
  @ApiProperty({ type: ProposalDto, nullable: true }) proposal!: ProposalDto | null;
  @ApiProperty({ type: ProposalDto, nullable: true, description: "a rule's later proposal waiting for a commander" })
  suggestion!: ProposalDto | null;
  @ApiProperty() reportIntervalMinutes!: number;
  @ApiProperty({ nullable: true, type: String }) nextReportDueAt!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'duty staffing of the level' }) duty!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) campaignId!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) endReason!: string | null;
  @ApiProperty() version!: number;
}

export class LevelChangeDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: LEVEL_ACTIONS }) action!: string;
  @ApiProperty({ nullable: true, type: String }) fromLevel!: string | null;
  @ApiProperty({ nullable: true, type: String }) toLevel!: string | null;
  @ApiProperty({ nullable: true, type: [String] }) fromTowns!: string[] | null;
  @ApiProperty({ nullable: true, type: [String] }) toTowns!: string[] | null;
  @ApiProperty() cityWide!: boolean;
  @ApiProperty() reason!: string;
  @ApiProperty() byWho!: string;
  @ApiProperty({ nullable: true, type: String }) byRole!: string | null;
  @ApiProperty() at!: string;
  @ApiProperty() version!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what the change re-scoped (calls re-planned, people woken, checklist items added)',
  })
  effects!: Record<string, unknown>;
}

export class MeasureDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() domain!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'the level that added it' }) level!: string;
  @ApiProperty() townCode!: string;
  @ApiProperty() addedAt!: string;
  @ApiProperty({ nullable: true, type: String }) doneAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) doneBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
}

export class SetMeasureDto {
  @ApiProperty() @IsBoolean() done!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) note?: string;
}
