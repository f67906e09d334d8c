import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/** `?repair` and `?dryRun` work as bare flags too: present or "true" is on, "false" is off. */
const toFlag = ({ value }: { value: unknown }) => (value === '' || value === 'true' ? true : value === 'false' ? false : value);

export class ImportGeoJsonQuery {
  @ApiPropertyOptional({ default: false, description: 'repair invalid geometries with ST_MakeValid and report the change' })
  @IsOptional()
  @Transform(toFlag)
  @IsBoolean()
  repair?: boolean;

  @ApiPropertyOptional({ default: false, description: 'check everything and report, write nothing' })
  @IsOptional()
  @Transform(toFlag)
  @IsBoolean()
  dryRun?: boolean;
}

export class FeatureChangeDto {
  @ApiProperty({ example: 0, description: '0-based position in features' }) index!: number;
  @ApiProperty({ example: 'BZ-GC-001' }) code!: string;
  @ApiProperty({ enum: ['insert', 'update', 'unchanged'] }) action!: 'insert' | 'update' | 'unchanged';
  @ApiProperty({ type: [String], example: ['capacity', 'facilities'], description: 'properties that change (updates only)' })
  fields!: string[];
  @ApiProperty({ type: [String], description: 'what the geometry checks changed (repair, rewinding)' }) geometry!: string[];
}

export class FeatureErrorDto {
  @ApiProperty({ example: 3 }) index!: number;
  @ApiPropertyOptional({ example: 'BZ-GC-004' }) code?: string;
  @ApiProperty({ example: 'features[3].properties.capacity' }) field!: string;
  @ApiProperty({ example: 'must not be less than 1' }) problem!: string;
}

export class FeatureImportReportDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ enum: ['OGC:CRS84', 'EPSG:4326', 'EPSG:4490'], description: 'the CRS the file declares (CRS84 when none)' }) crs!: string;
  @ApiProperty({ description: 'whether the file carried a crs member' }) crsDeclared!: boolean;
  @ApiProperty({ example: 283 }) total!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty() updated!: number;
  @ApiProperty({ description: 'features identical to what is stored: not written' }) unchanged!: number;
  @ApiProperty({ description: 'features not written; each has at least one entry in errors' }) rejected!: number;
  @ApiProperty({ type: [FeatureChangeDto] }) changes!: FeatureChangeDto[];
  @ApiProperty({ type: [FeatureErrorDto] }) errors!: FeatureErrorDto[];
}

/** What the export routes answer (application/geo+json). */
export class FeatureCollectionDto {
  @ApiProperty({ enum: ['FeatureCollection'] }) type!: 'FeatureCollection';
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    maxItems: 20_000,
    description: 'RFC 7946 Features with Point geometry and properties; an import takes at most geo.importMaxFeatures (20,000 by default)',
  })
  features!: Array<{ type: 'Feature'; id: string; geometry: unknown; properties: Record<string, unknown> }>;
}
