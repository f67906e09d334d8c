import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { RiskType } from '../risk-object.types';

/**
 * Per-type attributes of a risk object, one class per list: what each list's office keeps on
 * its sheet. Unknown keys are refused (the validation runs with forbidNonWhitelisted), so a
 * typo such as "crewSize" is an error at `attributes.crewSize`, not silently stored jsonb.
 * Lengths in metres, levels in metres above the 1985 national height datum, counts of people.
 */
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const COUNT = 1_000_000;

export class FlashFloodZoneAttributes {
  @ApiProperty({ enum: ['danger_zone', 'key_village'], description: '山洪危险区 or 重点村' })
  @IsIn(['danger_zone', 'key_village'])
  villageKind!: 'danger_zone' | 'key_village';

  @ApiPropertyOptional({ description: 'households living in the zone/village' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(COUNT)
  households?: number;

  @ApiPropertyOptional({ example: '沿村道向东至村文化礼堂' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  transferRoute?: string;

  @ApiPropertyOptional({ description: '山洪预警员 (name)' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 50) warner?: string;

  @ApiPropertyOptional({ description: 'catchment area upstream, km²' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100_000)
  catchmentKm2?: number;
}

export class GeoHazardZoneAttributes {
  @ApiProperty({ enum: ['landslide', 'collapse', 'debris_flow', 'subsidence'], description: '滑坡 / 崩塌 / 泥石流 / 地面塌陷' })
  @IsIn(['landslide', 'collapse', 'debris_flow', 'subsidence'])
  hazardKind!: 'landslide' | 'collapse' | 'debris_flow' | 'subsidence';

  @ApiProperty({ enum: ['low', 'medium', 'high', 'very_high'] })
  @IsIn(['low', 'medium', 'high', 'very_high'])
  riskGrade!: 'low' | 'medium' | 'high' | 'very_high';

  @ApiPropertyOptional({ description: '地灾群测群防员 (name)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 50)
  observer?: string;

  @ApiPropertyOptional({ description: 'professional monitoring installed' }) @IsOptional() @IsBoolean() monitored?: boolean;

  @ApiPropertyOptional({ example: 2024 }) @IsOptional() @IsInt() @Min(1950) @Max(2100) surveyYear?: number;
}

export class ReservoirAttributes {
  @ApiProperty({ enum: ['pond', 'small_ii', 'small_i', 'medium', 'large'], description: '山塘, 小(二)型, 小(一)型, 中型, 大型' })
  @IsIn(['pond', 'small_ii', 'small_i', 'medium', 'large'])
  capacityClass!: 'pond' | 'small_ii' | 'small_i' | 'medium' | 'large';

  @ApiPropertyOptional({ description: '汛限水位, m' }) @IsOptional() @IsNumber() @Min(-50) @Max(3000) floodLimitLevelM?: number;

  @ApiPropertyOptional({ description: 'dam height, m' }) @IsOptional() @IsNumber() @Min(0) @Max(400) damHeightM?: number;

  @ApiProperty({ description: '病险: classified unsafe' }) @IsBoolean() unsafe!: boolean;

  @ApiPropertyOptional({ description: 'people living downstream within the dam-break area' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(COUNT)
  downstreamPeople?: number;
}

export class SeawallAttributes {
  @ApiPropertyOptional({ enum: ['seawall', 'embankment'], description: '海塘 or 堤防' })
  @IsOptional()
  @IsIn(['seawall', 'embankment'])
  kind?: string;

  @ApiProperty({ example: 50, description: 'design standard, return period in years (50 = 五十年一遇)' })
  @IsInt()
  @Min(2)
  @Max(10_000)
  standardYears!: number;

  @ApiPropertyOptional({ description: 'length, m' }) @IsOptional() @IsNumber() @Min(0) @Max(1_000_000) lengthM?: number;

  @ApiPropertyOptional({ description: 'gaps and passages (旱闸, 缺口) to close before a surge' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  gapsToClose?: number;

  @ApiPropertyOptional({ description: '巡查员 (name)' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 50) patroller?: string;
}

export class LowLyingPointAttributes {
  @ApiPropertyOptional({ description: 'pumps on site' }) @IsOptional() @IsInt() @Min(0) @Max(10_000) pumps?: number;

  @ApiProperty({ description: 'the road is closed when flooded (1618 plan control road/point)' }) @IsBoolean() roadClosure!: boolean;

  @ApiPropertyOptional({ example: '大田平原' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 50) area?: string;

  @ApiPropertyOptional({ description: 'water depth that triggers action, cm' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  alertDepthCm?: number;
}

export class DilapidatedHouseAttributes {
  @ApiProperty({ enum: ['C', 'D'], description: '危房等级 C or D' }) @IsIn(['C', 'D']) grade!: 'C' | 'D';

  @ApiProperty() @IsInt() @Min(0) @Max(1000) occupants!: number;

  @ApiPropertyOptional({ description: '户主' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 50) householder?: string;

  @ApiPropertyOptional({ description: '危房联络员 (name)' }) @IsOptional() @Transform(trim) @IsString() @Length(1, 50) liaison?: string;
}

export class ConstructionSiteAttributes {
  @ApiProperty() @IsInt() @Min(0) @Max(COUNT) workers!: number;

  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(1000) towerCranes?: number;

  @ApiPropertyOptional({ description: 'workers sleep in work sheds (工棚)' }) @IsOptional() @IsBoolean() workSheds?: boolean;

  @ApiProperty({ description: 'work stopped (停工)' }) @IsBoolean() shutdown!: boolean;

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) contractor?: string;
}

export class FishingBoatAttributes {
  @ApiProperty({ example: '浙临渔12345', description: '船名号' })
  @Transform(trim)
  @IsString()
  @Matches(/^[\u4e00-\u9fff]{1,4}渔[\u4e00-\u9fff]{0,2}\d{3,6}$/u, { message: 'must be a vessel number such as 浙临渔12345' })
  vesselNo!: string;

  @ApiProperty({ example: '红脚岩渔港' }) @Transform(trim) @IsString() @Length(1, 50) homePort!: string;

  @ApiProperty() @IsInt() @Min(0) @Max(500) crew!: number;

  @ApiPropertyOptional({ description: 'length overall, m' }) @IsOptional() @IsNumber() @Min(1) @Max(300) lengthM?: number;

  @ApiProperty({ description: 'in port (回港); the latest position report keeps it current' }) @IsBoolean() inPort!: boolean;
}

export class OffshoreProjectAttributes {
  @ApiProperty({ enum: ['wind_farm', 'aquaculture', 'port_works', 'bridge', 'other'] })
  @IsIn(['wind_farm', 'aquaculture', 'port_works', 'bridge', 'other'])
  kind!: string;

  @ApiProperty({ description: 'people working offshore' }) @IsInt() @Min(0) @Max(COUNT) staff!: number;

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) operator?: string;
}

/** The attributes class of each type: the only place a type is tied to its schema. */
export const ATTRIBUTE_CLASSES: Record<RiskType, new () => object> = {
  flash_flood_zone: FlashFloodZoneAttributes,
  geo_hazard_zone: GeoHazardZoneAttributes,
  reservoir: ReservoirAttributes,
  seawall: SeawallAttributes,
  low_lying_point: LowLyingPointAttributes,
  dilapidated_house: DilapidatedHouseAttributes,
  construction_site: ConstructionSiteAttributes,
  fishing_boat: FishingBoatAttributes,
  offshore_project: OffshoreProjectAttributes,
};
