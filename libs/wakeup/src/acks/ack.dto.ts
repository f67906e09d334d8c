import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import type { Stage } from '../wakeup.types';
import { STAGES } from '../wakeup.types';

/** What a "done" answer reports when the call carried a task (evacuation counts feed the reports). */
export class DoneCountsDto {
  @ApiPropertyOptional({ description: 'people moved out of the danger zone' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  peopleMoved?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) households?: number;
  @ApiPropertyOptional({ description: 'of whom elderly, disabled, sick (vulnerable)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  vulnerableMoved?: number;
}

export class ProxyAckDto {
  @ApiPropertyOptional({ enum: STAGES, default: 'received' }) @IsOptional() @IsIn(STAGES) stage?: Stage;
  @ApiProperty({ example: '19:42 电话联系本人，已确认收到并开始巡查', description: 'how the person was reached (required)' })
  @IsString()
  @Length(4, 500)
  note!: string;
  @ApiPropertyOptional({ type: DoneCountsDto }) @IsOptional() @ValidateNested() @Type(() => DoneCountsDto) counts?: DoneCountsDto;
}

export class AckOutcomeDto {
  @ApiProperty() callId!: string;
  @ApiProperty({ enum: STAGES }) stage!: string;
  @ApiProperty({ description: 'false when an earlier answer already counted (this one is kept in the ledger)' }) accepted!: boolean;
  @ApiProperty({ description: 'after the deadline or after the campaign closed' }) late!: boolean;
  @ApiProperty({ nullable: true }) receivedAt!: string | null;
  @ApiProperty({ nullable: true }) doneAt!: string | null;
}
