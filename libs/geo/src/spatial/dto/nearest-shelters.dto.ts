import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { toInt } from '@fangxun/platform';
import { ScopeDto } from './spatial-common.dto';

const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,3}(\.\d{1,15})?$/.test(value) ? Number(value) : value;
export const SHELTER_TIERS = ['city', 'town', 'village'] as const;

/** From a risk object (by code) or from a point (lon and lat); exactly one of the two. */
export class NearestSheltersQuery {
  @ApiPropertyOptional({ example: 'LH-SH-001' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z_-]{2,40}$/, { message: 'must be a risk object code' })
  riskObjectCode?: string;

  @ApiPropertyOptional({ example: 121.12 }) @IsOptional() @Transform(toNumber) @IsNumber() @Min(-180) @Max(180) lon?: number;
  @ApiPropertyOptional({ example: 28.85 }) @IsOptional() @Transform(toNumber) @IsNumber() @Min(-90) @Max(90) lat?: number;

  @ApiPropertyOptional({ default: 5, minimum: 1, maximum: 50 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(50) limit?: number;

  @ApiPropertyOptional({ default: 1, minimum: 1, description: 'only shelters with at least this many free places' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  minFree?: number;
}

export class NearShelterDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SHELTER_TIERS }) tier!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() divisionName!: string;
  @ApiProperty({ description: 'geodesic metres from the point, or from the nearest edge of the risk object (0 inside it)' })
  distanceM!: number;
  @ApiProperty({ description: 'capacity − occupancy − reserved' }) free!: number;
  @ApiProperty() capacity!: number;
  @ApiProperty() occupancy!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty({ type: [Number], example: [121.12, 28.85] }) location!: [number, number];
  @ApiProperty({ description: "one of the risk object's assigned shelters" }) assigned!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'its preference (1 = first) when assigned' }) preference!: number | null;
}

export class NearestSheltersDto {
  @ApiProperty({ type: ScopeDto }) scope!: ScopeDto;
  @ApiProperty({ type: String, nullable: true }) riskObjectCode!: string | null;
  @ApiProperty({ type: [NearShelterDto], description: 'nearest first (geodesic)' }) shelters!: NearShelterDto[];
}
