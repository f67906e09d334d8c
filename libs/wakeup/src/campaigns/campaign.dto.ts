import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { WakeupLevel, WakeupReasonKind } from '@fangxun/config';
import { WAKEUP_LEVELS, WAKEUP_REASON_KINDS, WAKEUP_WARNING_KINDS } from '@fangxun/config';
import { AreaDto } from '@fangxun/geo';

/** A duty officer's order: wake the people of an area, or a named list, now. */
export class StartCampaignDto {
  @ApiProperty({ example: '紧急转移指令：大田街道低洼区域' }) @IsString() @Length(2, 200) title!: string;
  @ApiProperty({ example: '请立即组织危险区人员转移，并回复转移人数。' }) @IsString() @Length(2, 1000) message!: string;
  @ApiProperty({ enum: WAKEUP_LEVELS, description: 'sets the deadline and escalation policy' }) @IsIn(WAKEUP_LEVELS) level!: WakeupLevel;
  @ApiPropertyOptional({ enum: WAKEUP_WARNING_KINDS, default: 'other', description: 'picks the SMS template' })
  @IsOptional()
  @IsIn(WAKEUP_WARNING_KINDS)
  warningKind?: string;
  @ApiPropertyOptional({ type: AreaDto, description: 'exactly one of area or holderIds' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AreaDto)
  area?: AreaDto;
  @ApiPropertyOptional({ maxItems: 5000, type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true })
  holderIds?: string[];
  @ApiPropertyOptional({
    enum: WAKEUP_REASON_KINDS,
    isArray: true,
    maxItems: WAKEUP_REASON_KINDS.length,
    description: 'with area: which people (default config wakeup.manualInclude)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WAKEUP_REASON_KINDS.length)
  @IsIn(WAKEUP_REASON_KINDS, { each: true })
  include?: WakeupReasonKind[];
  @ApiPropertyOptional({ default: false, description: 'a drill: SMS go to the sandbox provider' })
  @IsOptional()
  @IsBoolean()
  drill?: boolean;
  @ApiPropertyOptional({ description: 'idempotency key: the same key returns the first campaign', example: 'order-2026-07-01-001' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{4,80}$/, { message: 'must be 4–80 letters, digits or ._:-' })
  requestKey?: string;
}

export class CampaignDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['warning', 'manual', 'order', 'evacuation'] }) source!: string;
  @ApiProperty({ nullable: true }) warningId!: string | null;
  @ApiProperty() warningKind!: string;
  @ApiProperty({ enum: WAKEUP_LEVELS }) level!: string;
  @ApiProperty({ nullable: true, description: 'the config rule that chose the people' }) ruleName!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty() message!: string;
  @ApiProperty() drill!: boolean;
  @ApiProperty({ enum: ['active', 'closed'] }) state!: string;
  @ApiProperty({ type: Object }) area!: Record<string, unknown>;
  @ApiProperty({ type: [Object], description: 'people the rule named who are inactive in the registry (not called)' })
  unreachable!: Array<Record<string, unknown>>;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true }) closedAt!: string | null;
  @ApiProperty({ nullable: true }) closeReason!: string | null;
}

export class StartedCampaignDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty({ description: 'false when the request key had already started it' }) created!: boolean;
  @ApiProperty() calls!: number;
}

export class CloseCampaignDto {
  @ApiProperty({ example: '险情解除' }) @IsString() @Length(2, 300) reason!: string;
}
