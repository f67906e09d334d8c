import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional } from 'class-validator';
import { DIVISION_LEVELS, DivisionLevel } from '@fangxun/registry';
import { RISK_STATUSES, RISK_TYPES, RiskStatus, RiskType } from '../../risk-objects/risk-object.types';
import { AreaDto } from './area.dto';
import { AREA_RELATIONS, AreaSummaryDto, ScopeDto } from './spatial-common.dto';

const unique = ({ value }: { value: unknown }) => (Array.isArray(value) ? [...new Set(value)] : value);

export class IntersectingRequestDto extends AreaDto {
  @ApiPropertyOptional({ maxItems: 4, enum: DIVISION_LEVELS, isArray: true, default: ['town', 'village', 'grid'] })
  @IsOptional()
  @Transform(unique)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(DIVISION_LEVELS, { each: true })
  levels?: DivisionLevel[];

  @ApiPropertyOptional({
    enum: RISK_TYPES,
    isArray: true,
    maxItems: RISK_TYPES.length,
    description: 'only these risk types (default: all)',
  })
  @IsOptional()
  @Transform(unique)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(RISK_TYPES.length)
  @IsIn(RISK_TYPES, { each: true })
  types?: RiskType[];

  @ApiPropertyOptional({ default: true, description: 'include division boundaries (GeoJSON MultiPolygon)' })
  @IsOptional()
  @IsBoolean()
  withBoundaries?: boolean;
}

export class DivisionRefDto {
  @ApiProperty({ example: '331082001001' }) code!: string;
  @ApiProperty({ example: '东湖村' }) name!: string;
  @ApiProperty({ enum: DIVISION_LEVELS }) level!: DivisionLevel;
}

export class IntersectingRiskObjectDto {
  @ApiProperty({ example: 'LH-SH-001' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RISK_TYPES }) type!: RiskType;
  @ApiProperty({ enum: RISK_STATUSES }) status!: RiskStatus;
  @ApiProperty({ type: DivisionRefDto }) division!: DivisionRefDto;
  @ApiProperty({ type: String, nullable: true, example: '331082001' }) townCode!: string | null;
  @ApiProperty() threatenedHouseholds!: number;
  @ApiProperty() threatenedPeople!: number;
  @ApiProperty({ enum: AREA_RELATIONS, description: 'inside the area, touching its edge only, overlapping it, or containing it whole' })
  relation!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: "circle only: metres (geodesic) from the circle's centre; 0 when it covers it",
  })
  distanceM!: number | null;
}

export class IntersectingDivisionDto extends DivisionRefDto {
  @ApiProperty({ type: String, nullable: true }) parentCode!: string | null;
  @ApiProperty({ enum: AREA_RELATIONS }) relation!: string;
  @ApiProperty() boundarySynthetic!: boolean;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'GeoJSON MultiPolygon (lossless)' }) boundary?: object | null;
}

export class IntersectingResultDto {
  @ApiProperty({ type: AreaSummaryDto }) area!: AreaSummaryDto;
  @ApiProperty({ type: ScopeDto }) scope!: ScopeDto;
  @ApiProperty({ type: [IntersectingRiskObjectDto] }) riskObjects!: IntersectingRiskObjectDto[];
  @ApiProperty({ type: [IntersectingDivisionDto] }) divisions!: IntersectingDivisionDto[];
}
