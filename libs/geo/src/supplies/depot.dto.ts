import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@fangxun/platform';
import { DIVISION_CODE, PLACE_CODE, Trim } from '../point-features/place-fields';
import { PointDto } from '../point-features/point.dto';
import { StockItemDto } from './stock.dto';

export class DepotDto {
  @ApiProperty({ example: 'CK-331082-01' }) code!: string;
  @ApiProperty({ example: '临海市防汛物资仓库' }) name!: string;
  @ApiProperty({ example: '331082' }) divisionCode!: string;
  @ApiProperty({ example: '临海市' }) divisionName!: string;
  @ApiProperty({ type: PointDto }) location!: PointDto;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) managerHolderId!: string | null;
  @ApiProperty({ type: String, nullable: true }) managerName!: string | null;
  @ApiPropertyOptional({ type: [StockItemDto], description: 'only on single reads' }) stock?: StockItemDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreateDepotDto {
  @ApiProperty({ example: 'CK-331082-01' })
  @IsString()
  @Matches(PLACE_CODE, { message: 'must be 2-40 letters, digits, _ or -' })
  code!: string;
  @ApiProperty({ example: '临海市防汛物资仓库' }) @Trim() @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ example: '331082' }) @IsString() @Matches(DIVISION_CODE, { message: 'must be a division code' }) divisionCode!: string;
  @ApiProperty({ type: PointDto }) @IsObject() @ValidateNested() @Type(() => PointDto) location!: PointDto;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'responsibility holder keeping the depot' })
  @IsOptional()
  @IsUUID('all')
  managerHolderId?: string | null;
}

export class UpdateDepotDto extends PartialType(OmitType(CreateDepotDto, ['code'] as const)) {}

/** A GeoJSON feature's properties: everything of a create except the geometry. */
export class DepotPropertiesDto extends OmitType(CreateDepotDto, ['location'] as const) {}

export class DepotFilterQuery {
  @ApiPropertyOptional({ description: 'depots filed at this division or below it' })
  @IsOptional()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;
}

export class ListDepotsQuery extends IntersectionType(PageQueryDto, DepotFilterQuery) {}

export class DepotPageDto {
  @ApiProperty({ type: [DepotDto] }) items!: DepotDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
