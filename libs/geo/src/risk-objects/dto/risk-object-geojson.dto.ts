import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { toBool } from '@fangxun/platform';

export class ImportRiskObjectsQuery {
  @ApiPropertyOptional({ default: false, description: 'repair invalid geometries with ST_MakeValid instead of rejecting them' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  repair?: boolean;

  @ApiPropertyOptional({ default: false, description: 'check and count, write nothing' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  dryRun?: boolean;
}

export class ImportedFeatureDto {
  @ApiProperty({ description: '0-based position in `features`' }) index!: number;
  @ApiProperty() code!: string;
  @ApiProperty({ enum: ['inserted', 'updated', 'unchanged'] }) action!: 'inserted' | 'updated' | 'unchanged';
  @ApiProperty({ type: [String], example: ['name', 'attributes.crew', 'geometry'], description: 'stored fields this feature changes' })
  changes!: string[];
  @ApiProperty({
    type: [String],
    example: ['rings rewound to the RFC 7946 right-hand rule'],
    description: 'what the checker did to the geometry',
  })
  geometryNotes!: string[];
}

export class FeatureErrorDto {
  @ApiProperty() index!: number;
  @ApiProperty({ example: 'OUT_OF_SCOPE', description: 'the error code a single write would have answered with' }) code!: string;
  @ApiPropertyOptional({ description: 'the feature’s GeoJSON id, when it has one' }) id?: string | number;
  @ApiProperty({ example: 'features[3].properties.attributes.crew' }) field!: string;
  @ApiProperty() problem!: string;
}

export class RiskObjectImportReportDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ enum: ['OGC:CRS84', 'EPSG:4326', 'EPSG:4490'] }) crs!: string;
  @ApiProperty({ description: 'the file named its CRS (otherwise RFC 7946 WGS 84 is assumed)' }) crsDeclared!: boolean;
  @ApiProperty() total!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty() updated!: number;
  @ApiProperty({ description: 'identical to what is stored: not written' }) unchanged!: number;
  @ApiProperty({ description: 'features not written; each has at least one entry in errors' }) rejected!: number;
  @ApiProperty({ type: [ImportedFeatureDto] }) features!: ImportedFeatureDto[];
  @ApiProperty({ type: [FeatureErrorDto], description: 'by feature index; at most 1,000' }) errors!: FeatureErrorDto[];
  @ApiProperty({ example: 0, description: 'errors beyond the first 1,000 are counted here, not listed' }) errorsOmitted!: number;
}
