import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

export class BoundaryExportQuery {
  @ApiPropertyOptional({ description: 'only divisions below this one (and itself)' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z_]{2,24}$/, { message: 'must be a division code' })
  withinCode?: string;

  @ApiPropertyOptional({ enum: ['city', 'town', 'village', 'grid'] })
  @IsOptional()
  @IsIn(['city', 'town', 'village', 'grid'])
  level?: 'city' | 'town' | 'village' | 'grid';
}

export class BoundaryImportReportDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ enum: ['OGC:CRS84', 'EPSG:4326', 'EPSG:4490'] }) crs!: string;
  @ApiProperty() crsDeclared!: boolean;
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'boundaries written' }) updated!: number;
  @ApiProperty({ description: 'identical to what is stored: not written' }) unchanged!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '{index, code, geometry: [what the checks changed]}' })
  changes!: Array<{ index: number; code: string; geometry: string[] }>;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '{index, code?, field, problem}' })
  errors!: Array<{ index: number; code?: string; field: string; problem: string }>;
}
