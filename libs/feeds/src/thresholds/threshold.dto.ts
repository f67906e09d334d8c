import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '@fangxun/platform';
import { DIRECTIONS, THRESHOLD_RULES } from './threshold.types';

const csv = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value);

export class ThresholdEvidenceDto {
  @ApiProperty() stationCode!: string;
  @ApiProperty() windowHours!: number;
  @ApiProperty() mm!: number;
}

/** One crossing: what was decided, on which sum against which line, and what it changed. */
export class ThresholdEventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: THRESHOLD_RULES }) rule!: string;
  @ApiProperty({ description: 'town code (rainstorm) or risk object code (flash_flood)' }) subject!: string;
  @ApiProperty() subjectName!: string;
  @ApiProperty() windowHours!: number;
  @ApiProperty({ description: 'the sum that decided (mm, suspect readings left out)' }) sumMm!: number;
  @ApiProperty({ description: 'the line it was measured against (mm)' }) thresholdMm!: number;
  @ApiProperty({ nullable: true, example: 'orange' }) from!: string | null;
  @ApiProperty({ nullable: true, example: 'red' }) to!: string | null;
  @ApiProperty({ enum: ['raise', 'upgrade', 'downgrade', 'lift'] }) direction!: string;
  @ApiProperty({ type: [ThresholdEvidenceDto], description: 'the stations’ sums that caused it' }) readings!: ThresholdEvidenceDto[];
  @ApiProperty({ format: 'uuid', nullable: true, description: 'the warning message this crossing issued (raise/update/cancel)' })
  warningId!: string | null;
  @ApiProperty({ nullable: true }) riskStatusFrom!: string | null;
  @ApiProperty({ nullable: true }) riskStatusTo!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why, when it was not the rain itself: an alarm withdrawn because the readings it rested on turned suspect',
  })
  reason!: string | null;
  @ApiProperty() occurredAt!: string;
}

export class ThresholdEventPageDto {
  @ApiProperty({ type: [ThresholdEventDto] }) items!: ThresholdEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ListThresholdEventsQuery extends PageQueryDto {
  @ApiPropertyOptional({ type: String, description: 'comma-separated', example: 'rainstorm,flash_flood' })
  @IsOptional()
  @Transform(csv)
  @IsArray()
  @ArrayMaxSize(THRESHOLD_RULES.length)
  @IsIn(THRESHOLD_RULES, { each: true })
  rule?: string[];

  @ApiPropertyOptional({ description: 'town or risk object code' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Za-z_-]{2,40}$/)
  subject?: string;

  @ApiPropertyOptional({ type: String, description: 'comma-separated', example: 'raise,upgrade' })
  @IsOptional()
  @Transform(csv)
  @IsArray()
  @ArrayMaxSize(DIRECTIONS.length)
  @IsIn(DIRECTIONS, { each: true })
  direction?: string[];

  @ApiPropertyOptional({ description: 'occurred at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'occurred before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
