import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '@fangxun/platform';
import type { CapInfo, CapPair, LatLon } from '../cap/cap.types';
import type { GbtIdentifier } from '../cap/gbt-identifier';
import * as T from './warning.types';

const csv = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()) : value);

export class WarningReferenceDto {
  @ApiProperty() sender!: string;
  @ApiProperty() identifier!: string;
  @ApiProperty() sent!: string;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'our warning; null while the original has not arrived (parked)' })
  warningId!: string | null;
}

export class WarningAreaDto {
  @ApiProperty() infoIndex!: number;
  @ApiProperty() areaIndex!: number;
  @ApiProperty() areaDesc!: string;
  @ApiProperty({ type: Object, nullable: true, description: 'GeoJSON MultiPolygon (polygons and geodesic circles united)' })
  geometry!: Record<string, unknown> | null;
  @ApiProperty({
    type: Object,
    nullable: true,
    description:
      'the part of the drawn geometry that counts beside the named divisions (areaMode geocodes: only outside every division, e.g. the sea)',
  })
  countedGeometry!: Record<string, unknown> | null;
  @ApiProperty({ type: [String], description: 'our divisions named by the area’s geocodes' }) divisionCodes!: string[];
}

export class WarningDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '331082000FXH00_20260620080000_1' }) identifier!: string;
  @ApiProperty() sender!: string;
  @ApiProperty() sent!: string;
  @ApiProperty({ enum: ['Actual', 'Exercise', 'System', 'Test', 'Draft'] }) status!: string;
  @ApiProperty({ enum: ['Alert', 'Update', 'Cancel'] }) msgType!: string;
  @ApiProperty({ enum: ['Public', 'Restricted', 'Private'] }) scope!: string;
  @ApiProperty({ type: [WarningReferenceDto] }) references!: WarningReferenceDto[];
  @ApiProperty({ enum: T.WARNING_ORIGINS }) origin!: T.WarningOrigin;
  @ApiProperty({ enum: T.WARNING_STATES }) state!: T.WarningState;
  @ApiProperty({ enum: T.WARNING_KINDS }) kind!: T.WarningKind;
  @ApiProperty({ enum: T.WARNING_LEVELS, nullable: true }) level!: T.WarningLevel | null;
  @ApiProperty({ enum: T.WARNING_ISSUERS }) issuer!: T.WarningIssuer;
  @ApiProperty() event!: string;
  @ApiProperty({ nullable: true }) headline!: string | null;
  @ApiProperty({ nullable: true }) onset!: string | null;
  @ApiProperty({ nullable: true }) effective!: string | null;
  @ApiProperty({ nullable: true }) expires!: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'GB/T 35965.1 identifier parts, when it is one' })
  gbt!: (GbtIdentifier & { divisionFound: boolean }) | null;
  @ApiProperty({ type: [String], description: 'geocodes that name no division of ours (kept in the message)' })
  unknownGeocodes!: string[];
  @ApiProperty({
    enum: T.WARNING_AREA_MODES,
    description:
      'the ground it covers: geocodes = exactly the named divisions (drawn parts only at sea), drawn = its polygons/circles (no geocode of ours), union = both',
  })
  areaMode!: T.WarningAreaMode;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'the Update or Cancel that replaced this warning' })
  replacedById!: string | null;
  @ApiProperty({ type: [Object], description: 'every CAP info block, normalised (times ISO UTC, polygons [lat, lon])' })
  info!: CapInfo[];
  @ApiPropertyOptional({ type: [WarningAreaDto] }) areas?: WarningAreaDto[];
  @ApiPropertyOptional({
    type: [Object],
    description: 'on POST only: parts of the message accepted but ignored, e.g. an empty <polygon/> ({field, problem})',
  })
  ingestWarnings?: Array<{ field: string; problem: string }>;
  @ApiProperty() createdAt!: string;
  @ApiProperty() stateChangedAt!: string;
}

export class WarningPageDto {
  @ApiProperty({ type: [WarningDto] }) items!: WarningDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ListWarningsQuery extends PageQueryDto {
  @ApiPropertyOptional({ type: String, description: 'comma-separated', example: 'active,updated' })
  @IsOptional()
  @Transform(csv)
  @IsArray()
  @ArrayMaxSize(T.WARNING_STATES.length)
  @IsIn(T.WARNING_STATES, { each: true })
  state?: T.WarningState[];

  @ApiPropertyOptional({ type: String, description: 'comma-separated', example: 'rainstorm,flash_flood' })
  @IsOptional()
  @Transform(csv)
  @IsArray()
  @ArrayMaxSize(T.WARNING_KINDS.length)
  @IsIn(T.WARNING_KINDS, { each: true })
  kind?: T.WarningKind[];

  @ApiPropertyOptional({ type: String, description: 'comma-separated', example: 'orange,red' })
  @IsOptional()
  @Transform(csv)
  @IsArray()
  @ArrayMaxSize(T.WARNING_LEVELS.length)
  @IsIn(T.WARNING_LEVELS, { each: true })
  level?: T.WarningLevel[];

  @ApiPropertyOptional({ description: 'division code: warnings whose area touches it', example: '331082001' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Za-z]{6,20}$/)
  division?: string;

  @ApiPropertyOptional({ description: 'in force at this instant (onset/effective/sent ≤ t < expires)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  activeAt?: string;
}

/** What `WarningService.raise` takes: a warning of our own (thresholds, the HQ). */
export interface RaiseWarningInput {
  kind: T.WarningKind;
  level: T.WarningLevel;
  origin: 'threshold' | 'manual';
  event: string;
  headline: string;
  description?: string;
  instruction?: string;
  onset?: Date;
  expires?: Date;
  /** Divisions the warning covers (geocodes), and/or drawn areas. */
  divisionCodes?: string[];
  areaDesc?: string;
  polygons?: LatLon[][];
  circles?: Array<{ lat: number; lon: number; radiusKm: number }>;
  /** Extra CAP parameters, e.g. the readings that caused it. */
  parameters?: CapPair[];
  createdBy: string;
}

/** What `update` may change; the rest is carried over from the warning it replaces. */
export type UpdateWarningInput = Partial<
  Pick<RaiseWarningInput, 'level' | 'headline' | 'description' | 'instruction' | 'expires' | 'parameters'>
> & {
  createdBy: string;
};
