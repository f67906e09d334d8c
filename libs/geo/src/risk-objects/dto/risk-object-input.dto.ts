import { ApiProperty, ApiPropertyOptional, getSchemaPath, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
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
import { toE164 } from '@fangxun/registry';
import {
  INDICATOR_WINDOWS,
  IndicatorWindow,
  MAX_SHELTERS,
  RISK_TYPES,
  RiskType,
  VULNERABLE_CATEGORIES,
  VulnerableCategory,
} from '../risk-object.types';
import { ATTRIBUTE_CLASSES } from './risk-attributes.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Same rule as the table's check constraint. */
export const RISK_CODE = /^[0-9A-Za-z_-]{2,40}$/;
const DIVISION_CODE = /^[0-9A-Za-z_]{2,24}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export class VulnerablePersonDto {
  @ApiProperty({ example: '王阿婆' }) @Transform(trim) @IsString() @Length(1, 50) name!: string;

  @ApiProperty({ enum: VULNERABLE_CATEGORIES }) @IsIn(VULNERABLE_CATEGORIES) category!: VulnerableCategory;

  @ApiPropertyOptional({ type: String, nullable: true, example: '轮椅，需两人背运' }) @IsOptional() @IsString() @Length(1, 200) needs?:
    string | null;

  @ApiPropertyOptional({ example: '王建国', description: 'required unless helperHolderId is given (then defaults to the holder)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 50)
  helperName?: string;

  @ApiPropertyOptional({ example: '+8613912345678', description: 'required unless helperHolderId is given; E.164 or a Chinese number' })
  @IsOptional()
  @Transform(toE164)
  @IsString()
  @Matches(E164, { message: 'must be a valid phone number (E.164 or a Chinese number)' })
  helperPhone?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'the helper is this responsibility holder' })
  @IsOptional()
  @IsUUID('all')
  helperHolderId?: string | null;
}

/** 准备转移 / 立即转移 rainfall thresholds over one window. */
export class IndicatorDto {
  @ApiProperty({ enum: INDICATOR_WINDOWS, example: 3 }) @IsIn(INDICATOR_WINDOWS) windowHours!: IndicatorWindow;

  @ApiProperty({ example: 60, description: '准备转移 threshold, mm of rain in the window (0.1 mm steps)' })
  @IsNumber({ maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(9999.9)
  prepareMm!: number;

  @ApiProperty({ example: 80, description: '立即转移 threshold, mm; must be above prepareMm' })
  @IsNumber({ maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(9999.9)
  immediateMm!: number;
}

/**
 * A risk object's register entry without its geometry: the body of a create (plus geometry) and
 * the `properties` of each imported GeoJSON feature. `attributes` is checked against the class
 * of `type` (see ATTRIBUTE_CLASSES) after this shape passes.
 */
export class RiskObjectPropertiesDto {
  @ApiProperty({ example: 'SH-331082001001', description: 'stable code; imports upsert by it' })
  @IsString()
  @Matches(RISK_CODE, { message: 'must be 2-40 letters, digits, "_" or "-"' })
  code!: string;

  @ApiProperty({ example: '东湖村山洪危险区' }) @Transform(trim) @IsString() @Length(1, 100) name!: string;

  @ApiProperty({ enum: RISK_TYPES }) @IsIn(RISK_TYPES) type!: RiskType;

  @ApiProperty({ example: '331082001001', description: 'a town or village in your area' })
  @IsString()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode!: string;

  @ApiProperty({
    description: 'per-type attributes; the schema is the one of `type`, unknown keys are refused',
    oneOf: Object.values(ATTRIBUTE_CLASSES).map((c) => ({ $ref: getSchemaPath(c) })),
  })
  @IsObject()
  attributes!: Record<string, unknown>;

  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) threatenedHouseholds?: number;

  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000) threatenedPeople?: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'active holder working in the object’s town' })
  @IsOptional()
  @IsUUID('all')
  primaryHolderId?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'AB岗: needs a primary, differs from it' })
  @IsOptional()
  @IsUUID('all')
  backupHolderId?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_SHELTERS, description: 'shelter codes, most preferred first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SHELTERS)
  @IsString({ each: true })
  @Matches(RISK_CODE, { each: true, message: 'each must be a shelter code' })
  shelters?: string[];

  @ApiPropertyOptional({ type: [VulnerablePersonDto], maxItems: 1000 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => VulnerablePersonDto)
  vulnerablePeople?: VulnerablePersonDto[];

  @ApiPropertyOptional({ type: [IndicatorDto], maxItems: 5, description: 'flash_flood_zone only; one per window' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(INDICATOR_WINDOWS.length)
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators?: IndicatorDto[];
}

export class CreateRiskObjectDto extends RiskObjectPropertiesDto {
  @ApiProperty({
    description: 'RFC 7946 geometry (WGS 84 / CGCS2000 lon, lat); which types are allowed depends on `type`',
    example: { type: 'Point', coordinates: [121.1234, 28.8456] },
  })
  @IsObject()
  geometry!: Record<string, unknown>;
}

/**
 * Any field but the code. Lists (`shelters`, `vulnerablePeople`, `indicators`) and `attributes`
 * replace what is stored; null clears a holder.
 */
export class UpdateRiskObjectDto extends PartialType(OmitType(CreateRiskObjectDto, ['code'] as const)) {}
