import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsInt, IsISO8601, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { toBool, toInt } from '@fangxun/platform';

const DIVISION_CODE = /^[0-9A-Za-z_]{2,24}$/;

/** "1,3,6" → [1, 3, 6]; anything else is left for the validator to refuse. */
const toWindows = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,3}(,\d{1,3}){0,11}$/.test(value) ? value.split(',').map(Number) : value;

export class WindowSumDto {
  @ApiProperty({ example: 3 }) hours!: number;
  @ApiProperty({ example: 42.5 }) mm!: number;
  @ApiProperty({ description: 'readings counted; 0 means nothing was reported, not a dry spell' }) readings!: number;
  @ApiProperty({ description: 'suspect readings counted (0 when excluded)' }) suspect!: number;
}

export class StationSumsDto {
  @ApiProperty({ format: 'uuid' }) stationId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() divisionCode!: string;
  @ApiPropertyOptional({ description: 'sumsNear only' }) distanceKm?: number;
  @ApiProperty({ type: [WindowSumDto] }) windows!: WindowSumDto[];
}

class RainfallQueryBase {
  @ApiPropertyOptional({ default: false, description: 'leave suspect readings out of every sum' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  excludeSuspect?: boolean;
}

export class StationSumsQuery extends RainfallQueryBase {
  @ApiPropertyOptional({ example: '2026-07-28T12:00:00+08:00', description: 'end of every window; default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
  @ApiPropertyOptional({ type: String, example: '1,3,6,12,24', description: 'window lengths in hours (1-720), up to 12' })
  @IsOptional()
  @Transform(toWindows)
  @ArrayMaxSize(12)
  @IsInt({ each: true, message: 'must be comma-separated whole hours' })
  @Min(1, { each: true })
  @Max(720, { each: true })
  windows?: number[];
  @ApiPropertyOptional({ description: 'only stations in this division (and below)' })
  @IsOptional()
  @IsString()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;
}

export class SinceQuery extends RainfallQueryBase {
  @ApiProperty({ example: '2026-06-01T00:00:00+08:00', description: 'start (season, event), exclusive' })
  @IsISO8601({ strict: true })
  from!: string;
  @ApiPropertyOptional({ description: 'end, inclusive; default now' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class StationTotalDto {
  @ApiProperty() code!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() mm!: number;
  @ApiProperty() readings!: number;
  @ApiProperty() suspect!: number;
}

export class ArealQuery extends RainfallQueryBase {
  @ApiPropertyOptional({ description: 'end of the period; default now' }) @IsOptional() @IsISO8601({ strict: true }) at?: string;
  @ApiPropertyOptional({ example: 24, description: 'period length in hours (ignored when from is given); default 24' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8760)
  hours?: number;
  @ApiPropertyOptional({ description: 'start of the period (season, event), exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
}

export class ArealBodyDto {
  @ApiPropertyOptional({ description: 'a GeoJSON Polygon or MultiPolygon (lon, lat)' }) @IsOptional() @IsObject() area?: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ description: 'or a division code (its boundary is the area)' })
  @IsOptional()
  @IsString()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) at?: string;
  @ApiPropertyOptional({ example: 24 }) @IsOptional() @IsInt() @Min(1) @Max(8760) hours?: number;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() excludeSuspect?: boolean;
}

export class ArealStationDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() mm!: number;
  @ApiProperty({ description: 'inside the area (counts in the arithmetic mean)' }) inside!: boolean;
  @ApiProperty({ description: 'Thiessen weight: share of the area closest to this station' }) weight!: number;
}

export class ArealMethodDto {
  @ApiProperty({ enum: ['arithmetic_mean', 'thiessen'] }) method!: 'arithmetic_mean' | 'thiessen';
  @ApiProperty({ type: Number, nullable: true, description: 'null when no station could answer' }) mm!: number | null;
  @ApiProperty() stations!: number;
}

export class ArealMaxDto {
  @ApiProperty() stationCode!: string;
  @ApiProperty() stationName!: string;
  @ApiProperty() mm!: number;
}

export class ArealRainfallDto {
  @ApiPropertyOptional() divisionCode?: string;
  @ApiPropertyOptional() divisionName?: string;
  @ApiProperty() areaKm2!: number;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() excludeSuspect!: boolean;
  @ApiProperty({ type: ArealMethodDto, description: '面雨量, arithmetic mean of the stations inside the area' })
  arithmeticMean!: ArealMethodDto;
  @ApiProperty({ type: ArealMethodDto, description: '面雨量, Thiessen-polygon weighted (Voronoi cells clipped to the area)' })
  thiessen!: ArealMethodDto;
  @ApiProperty({ type: ArealMaxDto, nullable: true, description: 'largest total among stations inside the area' }) max!: ArealMaxDto | null;
  @ApiProperty({ type: [ArealStationDto] }) stations!: ArealStationDto[];
}
