import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import type { MultiPolygon, Polygon } from '@fangxun/database';

export const AREA_KINDS = ['polygon', 'circle', 'divisionCodes'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

/** Largest circle: the city spans about 80 km, a warning circle more than that is a mistake. */
export const MAX_RADIUS_KM = 100;
export const MAX_DIVISION_CODES = 50;

/** Which of the three area fields a body carries. */
export function givenAreaKinds(o: object): AreaKind[] {
  const r = o as Record<string, unknown>;
  return AREA_KINDS.filter((k) => r[k] !== undefined && r[k] !== null);
}

/**
 * Exactly one of polygon, circle or divisionCodes. Reported once: on `polygon` when none is
 * given, else on each field given after the first.
 */
function ExactlyOneArea(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'exactlyOneArea',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (a: ValidationArguments) =>
          givenAreaKinds(a.object).length === 0
            ? 'give one of polygon, circle or divisionCodes'
            : `give only one of polygon, circle or divisionCodes (${givenAreaKinds(a.object)[0]} is given too)`,
      },
      validator: {
        validate: (_: unknown, a: ValidationArguments) => {
          const given = givenAreaKinds(a.object);
          if (given.length === 0) return a.property !== 'polygon';
          return given.indexOf(a.property as AreaKind) <= 0;
        },
      },
    });
}

/** Shape only (type and coordinates array); PostGIS validity is checked by the shared GeoJSON checker. */
function IsAreaPolygon(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAreaPolygon',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a GeoJSON Polygon or MultiPolygon geometry' },
      validator: {
        validate: (v: unknown) => {
          if (v === undefined || v === null) return true;
          const g = v as { type?: unknown; coordinates?: unknown };
          return (
            typeof g === 'object' &&
            !Array.isArray(g) &&
            (g.type === 'Polygon' || g.type === 'MultiPolygon') &&
            Array.isArray(g.coordinates)
          );
        },
      },
    });
}

function IsLonLat(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLonLat',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be [longitude, latitude] with longitude in -180..180 and latitude in -90..90' },
      validator: {
        validate: (v: unknown) =>
          Array.isArray(v) &&
          v.length === 2 &&
          v.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
          Math.abs(v[0] as number) <= 180 &&
          Math.abs(v[1] as number) <= 90,
      },
    });
}

export class CircleDto {
  @ApiProperty({ example: [121.12, 28.85], description: '[longitude, latitude], WGS 84', type: [Number], minItems: 2, maxItems: 2 })
  @IsLonLat()
  center!: [number, number];

  @ApiProperty({ example: 5, description: `radius in km on the WGS 84 spheroid (geodesic), at most ${MAX_RADIUS_KM}` })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(MAX_RADIUS_KM)
  radiusKm!: number;
}

/**
 * The area every spatial question is asked about: a drawn polygon, a circle, or the union of
 * some divisions' boundaries. Exactly one of the three.
 */
export class AreaDto {
  @ApiPropertyOptional({ description: 'GeoJSON Polygon or MultiPolygon (RFC 7946, WGS 84 or CGCS2000)', type: Object })
  @ExactlyOneArea()
  @IsAreaPolygon()
  polygon?: Polygon | MultiPolygon;

  @ApiPropertyOptional({ type: CircleDto })
  @IsOptional()
  @ExactlyOneArea()
  @ValidateNested()
  @Type(() => CircleDto)
  circle?: CircleDto;

  @ApiPropertyOptional({
    maxItems: MAX_DIVISION_CODES,
    type: [String],
    example: ['331082001'],
    description: `union of these divisions' boundaries (1-${MAX_DIVISION_CODES})`,
  })
  @IsOptional()
  @ExactlyOneArea()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DIVISION_CODES)
  @Matches(/^[0-9A-Za-z_]{2,24}$/, { each: true, message: 'each must be a division code' })
  divisionCodes?: string[];
}
