import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class RawReadingDto {
  @ApiProperty({ example: 'LH-R-001' }) stationCode!: string;
  @ApiProperty({ example: '2026-07-28T10:00:00+08:00', description: 'ISO 8601 with an offset or Z; zone-less times are rejected' })
  observedAt!: string;
  @ApiProperty({ example: 12.5, description: 'rain: amount in the interval ending at observedAt; levels: height' }) value!: number;
  @ApiPropertyOptional({ enum: ['mm', 'm', 'cm', 'in'], description: 'default mm (rain) or m (levels)' }) unit?: string;
  @ApiPropertyOptional({ example: 60, description: 'rain only; default from config' }) intervalMinutes?: number;
}

export class PushReadingsDto {
  @ApiProperty({ type: [RawReadingDto], maxItems: 200_000, description: 'at most feeds.ingestMaxRows (200,000 by default)' })
  readings!: RawReadingDto[];
}

export class IngestErrorDto {
  @ApiProperty({ description: 'position of the row in the batch (0-based)' }) index!: number;
  @ApiPropertyOptional({ description: 'CSV only: the line of the row in the file' }) line?: number;
  @ApiProperty({ example: 'observedAt' }) field!: string;
  @ApiProperty({ example: 'has no time zone: add an offset (+08:00) or Z' }) problem!: string;
}

export class ReflaggedReadingDto {
  @ApiProperty({ example: 'LH-R-001' }) stationCode!: string;
  @ApiProperty() observedAt!: string;
  @ApiProperty({ description: 'mm (rain) or m (levels), as stored' }) value!: number;
  @ApiProperty({ type: Number, nullable: true }) intervalMinutes!: number | null;
  @ApiProperty({ example: 'spike: 60 mm in the hour while 2 neighbours within 10 km got under 2 mm' }) reason!: string;
}

export class IngestReportDto {
  @ApiProperty({ description: 'inserted + corrected + unchanged' }) accepted!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty({ description: 'rows that superseded an earlier value (kept as a revision)' }) corrected!: number;
  @ApiProperty({ description: 'rows identical to what was stored' }) unchanged!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({
    description: 'accepted rows stored as suspect (spike next to dry neighbours, likely unit mistake, a rolling window over its limit)',
  })
  flagged!: number;
  @ApiProperty({
    type: [ReflaggedReadingDto],
    description: 'readings stored earlier as ok that this batch turned suspect; warnings they raised are re-judged at once',
  })
  reflagged!: ReflaggedReadingDto[];
  @ApiProperty({ type: [IngestErrorDto] }) errors!: IngestErrorDto[];
}

export class ListReadingsQuery {
  @ApiProperty({ example: 'LH-R-001' })
  @IsString()
  @Matches(/^[0-9A-Za-z_.-]{2,40}$/, { message: 'must be a station code' })
  stationCode!: string;
  @ApiProperty({ example: '2026-07-28T00:00:00+08:00' }) @IsISO8601({ strict: true }) from!: string;
  @ApiProperty({ example: '2026-07-29T00:00:00+08:00' }) @IsISO8601({ strict: true }) to!: string;
}

export class MarkReadingQualityDto {
  @ApiProperty({ example: 'LH-R-001' })
  @IsString()
  @Matches(/^[0-9A-Za-z_.-]{2,40}$/, { message: 'must be a station code' })
  stationCode!: string;
  @ApiProperty({ example: '2026-07-28T10:00:00+08:00', description: "the stored reading's time, with an offset or Z" })
  @IsISO8601({ strict: true })
  observedAt!: string;
  @ApiProperty({ enum: ['ok', 'suspect'] }) @IsIn(['ok', 'suspect']) quality!: 'ok' | 'suspect';
  @ApiProperty({ example: '翻斗卡滞，现场核实无降雨', description: 'required when marking suspect' })
  @ValidateIf((o: MarkReadingQualityDto) => o.quality === 'suspect')
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  reason!: string;
}

export class ReadingQualityDto {
  @ApiProperty() stationCode!: string;
  @ApiProperty() observedAt!: string;
  @ApiProperty() value!: number;
  @ApiProperty({ enum: ['ok', 'suspect'] }) quality!: 'ok' | 'suspect';
  @ApiProperty({ type: String, nullable: true }) qualityReason!: string | null;
  @ApiProperty({ description: 'true when an ok reading became suspect: warnings that stood on it are re-judged at once' })
  withdrawn!: boolean;
}

export class ReadingDto {
  @ApiProperty() observedAt!: string;
  @ApiProperty() value!: number;
  @ApiProperty({ type: Number, nullable: true }) intervalMinutes!: number | null;
  @ApiProperty({ enum: ['ok', 'suspect'] }) quality!: 'ok' | 'suspect';
  @ApiProperty({ type: String, nullable: true }) qualityReason!: string | null;
  @ApiProperty({ example: 'push' }) source!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ description: 'how many earlier values this one superseded' }) revisions!: number;
}
