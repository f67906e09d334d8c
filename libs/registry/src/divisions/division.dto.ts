import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { MultiPolygon, Polygon } from '@fangxun/database';
import { PageQueryDto, toBool } from '@fangxun/platform';
import { DIVISION_LEVELS, DivisionLevel } from './division-level';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

const CODE = /^[0-9A-Za-z_]{2,24}$/;

export class DivisionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '331082001' }) code!: string;
  @ApiProperty({ example: '古城街道' }) name!: string;
  @ApiProperty({ enum: DIVISION_LEVELS }) level!: DivisionLevel;
  @ApiProperty({ nullable: true, type: String, example: '331082' }) parentCode!: string | null;
  @ApiProperty({ example: '331082.331082001' }) path!: string;
  @ApiProperty({ description: 'true when the boundary is a synthetic seed outline' }) boundarySynthetic!: boolean;
  @ApiPropertyOptional({ description: 'GeoJSON MultiPolygon (WGS 84); only on single reads', type: Object, nullable: true })
  boundary?: MultiPolygon | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreateDivisionDto {
  @ApiProperty({ example: '331082001001', description: 'official statistical code, or our own for grids' })
  @IsString()
  @Matches(CODE, { message: 'must be 2-24 letters, digits or _' })
  code!: string;

  @ApiProperty({ example: '东湖村' }) @Transform(trim) @IsString() @Length(1, 100) name!: string;

  @ApiProperty({ enum: ['town', 'village', 'grid'] }) @IsIn(['town', 'village', 'grid']) level!: DivisionLevel;

  @ApiProperty({ example: '331082001' }) @IsString() @Matches(CODE, { message: 'must be a division code' }) parentCode!: string;

  @ApiPropertyOptional({ description: 'GeoJSON Polygon or MultiPolygon in WGS 84', type: Object })
  @IsOptional()
  @IsObject()
  boundary?: Polygon | MultiPolygon;
}

export class UpdateDivisionDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 100) name?: string;

  @ApiPropertyOptional({ description: 'GeoJSON Polygon or MultiPolygon in WGS 84; null removes it', type: Object, nullable: true })
  @IsOptional()
  @IsObject()
  boundary?: Polygon | MultiPolygon | null;
}

export class ListDivisionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: DIVISION_LEVELS }) @IsOptional() @IsIn(DIVISION_LEVELS) level?: DivisionLevel;

  @ApiPropertyOptional({ description: 'only divisions below this one (any depth)' })
  @IsOptional()
  @Matches(CODE, { message: 'must be a division code' })
  withinCode?: string;

  @ApiPropertyOptional({ description: 'only direct children of this division' })
  @IsOptional()
  @Matches(CODE, { message: 'must be a division code' })
  parentCode?: string;

  @ApiPropertyOptional({ description: 'name contains' }) @IsOptional() @IsString() @Length(1, 50) q?: string;

  @ApiPropertyOptional({ enum: ['code', 'name'], default: 'code' }) @IsOptional() @IsIn(['code', 'name']) sort?: 'code' | 'name';

  @ApiPropertyOptional({ description: 'include boundaries in the list' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  withBoundary?: boolean;
}

export class DivisionPageDto {
  @ApiProperty({ type: [DivisionDto] }) items!: DivisionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
