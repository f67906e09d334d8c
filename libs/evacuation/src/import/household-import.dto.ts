import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { toBool } from '@fangxun/platform';
import { HOUSEHOLD_FIELDS } from './household-columns';

export class ImportHouseholdsQuery {
  @ApiPropertyOptional({ default: false, description: 'check and count, write nothing' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  dryRun?: boolean;
}

export class HouseholdImportErrorDto {
  @ApiProperty({ example: 7, description: 'line (CSV) or row (XLSX) as the file shows it; the header is line 1' }) line!: number;
  @ApiProperty({ enum: [...HOUSEHOLD_FIELDS, 'file'], example: 'headPhone' }) field!: string;
  @ApiPropertyOptional({ example: '1391234' }) value?: string;
  @ApiProperty({ example: 'not a phone number' }) problem!: string;
}

export class HouseholdImportReportDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format!: 'csv' | 'xlsx';
  @ApiProperty({ enum: ['utf-8', 'gb18030', 'utf-16le'], description: 'how the text was decoded (GBK files read as GB18030)' })
  encoding!: 'utf-8' | 'gb18030' | 'utf-16le';
  @ApiProperty({ description: 'data rows in the file' }) total!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty() updated!: number;
  @ApiProperty({ description: 'rows identical to what is stored: not written' }) unchanged!: number;
  @ApiProperty({ description: 'rows not written; each has at least one entry in errors' }) rejected!: number;
  @ApiProperty({ type: [HouseholdImportErrorDto] }) errors!: HouseholdImportErrorDto[];
}
