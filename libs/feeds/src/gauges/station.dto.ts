import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { toBool, toInt } from '@fangxun/platform';

export const STATION_KINDS = ['rain', 'water_level', 'reservoir_level'] as const;
export type StationKind = (typeof STATION_KINDS)[number];
export const STATION_OWNERS = ['meteorology', 'water_resources', 'natural_resources', 'hq', 'other'] as const;
export type StationOwner = (typeof STATION_OWNERS)[number];

const STATION_CODE = /^[0-9A-Za-z_.-]{2,40}$/;
const DIVISION_CODE = /^[0-9A-Za-z_]{2,24}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class PointDto {
  @ApiProperty({ enum: ['Point'] }) @IsIn(['Point']) type!: 'Point';

  @ApiProperty({ maxItems: 2, type: [Number], example: [121.14, 28.86], description: 'lon, lat (WGS 84 / CGCS2000)' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(2)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  coordinates!: [number, number];
}

export class StationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'LH-R-001' }) code!: string;
  @ApiProperty({ example: '括苍山雨量站' }) name!: string;
  @ApiProperty({ type: PointDto }) point!: PointDto;
  @ApiProperty({ example: '331082001' }) divisionCode!: string;
  @ApiProperty() divisionName!: string;
  @ApiProperty({ enum: STATION_KINDS }) kind!: StationKind;
  @ApiProperty({ enum: STATION_OWNERS }) owner!: StationOwner;
  @ApiProperty() active!: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'minutes without a reading before the station is silent; null = config default',
  })
  silentAfterMinutes!: number | null;
  @ApiProperty({ enum: ['ok', 'silent'] }) liveness!: 'ok' | 'silent';
  @ApiProperty({ type: String, nullable: true }) lastObservedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreateStationDto {
  @ApiProperty({ example: 'LH-R-001' })
  @Transform(trim)
  @IsString()
  @Matches(STATION_CODE, { message: 'must be 2-40 of 0-9 A-Z a-z _ . -' })
  code!: string;
  @ApiProperty({ example: '括苍山雨量站' }) @Transform(trim) @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ type: PointDto }) @ValidateNested() @Type(() => PointDto) point!: PointDto;
  @ApiProperty({ example: '331082001', description: 'town or village the gauge stands in' })
  @IsString()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode!: string;
  @ApiProperty({ enum: STATION_KINDS }) @IsIn(STATION_KINDS) kind!: StationKind;
  @ApiProperty({ enum: STATION_OWNERS }) @IsIn(STATION_OWNERS) owner!: StationOwner;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  silentAfterMinutes?: number | null;
}

export class UpdateStationDto extends PartialType(CreateStationDto) {}

export class ListStationsQuery {
  @ApiPropertyOptional({ enum: STATION_KINDS }) @IsOptional() @IsIn(STATION_KINDS) kind?: StationKind;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ description: 'only stations inside this division (and below)' })
  @IsOptional()
  @IsString()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;
  @ApiPropertyOptional({ enum: ['ok', 'silent'] }) @IsOptional() @IsIn(['ok', 'silent']) liveness?: 'ok' | 'silent';
}

export class FeedHealthAlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() stationCode!: string;
  @ApiProperty() stationName!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ enum: ['silent'] }) kind!: 'silent';
  @ApiProperty() openedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the newest observation when the station went silent' })
  lastObservedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closedAt!: string | null;
}

export class ListFeedHealthQuery {
  @ApiPropertyOptional({ description: 'true: only open alerts; false: only closed ones' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  open?: boolean;
  @ApiPropertyOptional({ default: 200, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
