import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto, toBool } from '@fangxun/platform';
import { DIVISION_CODE, PLACE_CODE, Trim } from '../point-features/place-fields';
import { PointDto } from '../point-features/point.dto';
import { FACILITIES, Facility, SHELTER_TIERS, ShelterTier } from './shelter-rules';

/** A shelter seats at most this many; Linhai's largest centres hold a few hundred. */
const MAX_CAPACITY = 100_000;

export class ShelterDto {
  @ApiProperty({ example: 'BZ-331082001-01' }) code!: string;
  @ApiProperty({ example: '古城街道中心避灾安置场所' }) name!: string;
  @ApiProperty({ enum: SHELTER_TIERS }) tier!: ShelterTier;
  @ApiProperty({ example: '331082001' }) divisionCode!: string;
  @ApiProperty({ example: '古城街道' }) divisionName!: string;
  @ApiProperty({ type: PointDto }) location!: PointDto;
  @ApiProperty({ example: 200 }) capacity!: number;
  @ApiProperty({ example: 37, description: 'people checked in now' }) occupancy!: number;
  @ApiProperty({ example: 20, description: 'places held for people on their way' }) reserved!: number;
  @ApiProperty({ example: 143, description: 'capacity - occupancy - reserved' }) freePlaces!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) managerHolderId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '张管理' }) managerName!: string | null;
  @ApiProperty({ enum: FACILITIES, isArray: true }) facilities!: Facility[];
  @ApiProperty() open!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreateShelterDto {
  @ApiProperty({ example: 'BZ-331082001-01' })
  @IsString()
  @Matches(PLACE_CODE, { message: 'must be 2-40 letters, digits, _ or -' })
  code!: string;

  @ApiProperty({ example: '古城街道中心避灾安置场所' }) @Trim() @IsString() @Length(1, 100) name!: string;

  @ApiProperty({ enum: SHELTER_TIERS, description: 'city: at the city or a town; town: at a town; village: at a village' })
  @IsIn(SHELTER_TIERS)
  tier!: ShelterTier;

  @ApiProperty({ example: '331082001' }) @IsString() @Matches(DIVISION_CODE, { message: 'must be a division code' }) divisionCode!: string;

  @ApiProperty({ type: PointDto }) @IsObject() @ValidateNested() @Type(() => PointDto) location!: PointDto;

  @ApiProperty({ example: 200, minimum: 1 }) @IsInt() @Min(1) @Max(MAX_CAPACITY) capacity!: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'responsibility holder managing it (避灾场所管理员)' })
  @IsOptional()
  @IsUUID('all')
  managerHolderId?: string | null;

  @ApiPropertyOptional({ maxItems: FACILITIES.length, enum: FACILITIES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FACILITIES.length)
  @ArrayUnique()
  @IsIn(FACILITIES, { each: true, message: `each facility must be one of ${FACILITIES.join(', ')}` })
  facilities?: Facility[];

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() open?: boolean;
}

/** The code names the shelter; it is not changed by a patch. Occupancy moves only through check-in/out. */
export class UpdateShelterDto extends PartialType(OmitType(CreateShelterDto, ['code'] as const)) {}

/** A GeoJSON feature's properties: everything of a create except the geometry. */
export class ShelterPropertiesDto extends OmitType(CreateShelterDto, ['location'] as const) {}

export class ShelterFilterQuery {
  @ApiPropertyOptional({ description: 'shelters in this division and everything below it' })
  @IsOptional()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;

  @ApiPropertyOptional({ enum: SHELTER_TIERS }) @IsOptional() @IsIn(SHELTER_TIERS) tier?: ShelterTier;

  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() open?: boolean;

  @ApiPropertyOptional({ description: 'true: only shelters with at least one free place' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  hasFreePlaces?: boolean;
}

/** Filters plus cursor pagination (sorted by code). */
export class ListSheltersQuery extends IntersectionType(PageQueryDto, ShelterFilterQuery) {}

export class ShelterPageDto {
  @ApiProperty({ type: [ShelterDto] }) items!: ShelterDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CheckInDto {
  @ApiProperty({ example: 4, minimum: 1 }) @IsInt() @Min(1) @Max(MAX_CAPACITY) people!: number;

  @ApiPropertyOptional({ default: false, description: 'these people had places reserved: turn the reservation into occupancy' })
  @IsOptional()
  @IsBoolean()
  fromReserved?: boolean;
}

export class CheckOutDto {
  @ApiProperty({ example: 4, minimum: 1 }) @IsInt() @Min(1) @Max(MAX_CAPACITY) people!: number;
}

export class PlacesDto {
  @ApiProperty({ example: 20, minimum: 1 }) @IsInt() @Min(1) @Max(MAX_CAPACITY) places!: number;
}
