import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsISO8601, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { toInt } from '@fangxun/platform';

export class ReportVesselPositionDto {
  @ApiProperty({ example: '2025-07-28T06:30:00+08:00', description: 'when the boat was there (ISO 8601 with offset)' })
  @IsISO8601({ strict: true })
  reportedAt!: string;

  @ApiProperty({ example: 121.52 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-180) @Max(180) lon!: number;

  @ApiProperty({ example: 28.71 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-90) @Max(90) lat!: number;

  @ApiProperty() @IsBoolean() inPort!: boolean;
}

export class VesselPositionDto {
  @ApiProperty() reportedAt!: string;
  @ApiProperty() lon!: number;
  @ApiProperty() lat!: number;
  @ApiProperty() inPort!: boolean;
  @ApiProperty() receivedAt!: string;
}

export class VesselPositionResultDto {
  @ApiProperty({ description: 'false when this exact report (same reportedAt) was already stored' }) stored!: boolean;
  @ApiProperty({ description: 'true when this is now the boat’s latest position; a late report goes to history only' }) current!: boolean;
  @ApiProperty({ type: VesselPositionDto, description: 'the boat’s latest position after this report' }) latest!: VesselPositionDto;
}

export class VesselHistoryQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
