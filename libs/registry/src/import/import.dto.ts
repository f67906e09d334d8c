import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { toBool } from '@fangxun/platform';
import { IMPORT_FIELDS, ImportField } from './import-columns';

export class ImportHoldersQuery {
  @ApiPropertyOptional({ default: false, description: 'validate and count, write nothing' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  dryRun?: boolean;
}

export class ImportRowErrorDto {
  @ApiProperty({ example: 7, description: 'line (CSV) or row (XLSX) as the file shows it; the header is line 1' }) line!: number;
  @ApiProperty({ enum: IMPORT_FIELDS, example: 'mobile' }) field!: ImportField;
  @ApiPropertyOptional({ example: '1391234' }) value?: string;
  @ApiProperty({ example: 'not a Chinese mobile number (11 digits starting 1, +86 optional)' }) problem!: string;
}

export class ImportReportDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format!: 'csv' | 'xlsx';
  @ApiProperty({ enum: ['utf-8', 'gb18030', 'utf-16le'], description: 'how the text was decoded (GBK files read as GB18030)' })
  encoding!: 'utf-8' | 'gb18030' | 'utf-16le';
  @ApiProperty({ example: 120, description: 'data rows in the file (blank rows not counted)' }) total!: number;
  @ApiProperty({ example: 100 }) inserted!: number;
  @ApiProperty({ example: 12 }) updated!: number;
  @ApiProperty({ example: 5, description: 'rows identical to what is stored: not written' }) unchanged!: number;
  @ApiProperty({ example: 3, description: 'rows not written; each has at least one entry in errors' }) rejected!: number;
  @ApiProperty({ type: [ImportRowErrorDto] }) errors!: ImportRowErrorDto[];
  @ApiProperty({ example: 0, description: 'errors beyond the first 1,000 are counted here, not listed' }) errorsOmitted!: number;
}
