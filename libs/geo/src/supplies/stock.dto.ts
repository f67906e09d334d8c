import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, NotEquals } from 'class-validator';
import { DIVISION_CODE, Trim } from '../point-features/place-fields';
import { MAX_QUANTITY, STOCK_CATEGORIES, StockCategory } from './supply-rules';

export class StockItemDto {
  @ApiProperty({ enum: STOCK_CATEGORIES }) category!: StockCategory;
  @ApiProperty({ example: '冲锋舟' }) item!: string;
  @ApiProperty({ example: '艘' }) unit!: string;
  @ApiProperty({ example: 12 }) quantity!: number;
  @ApiProperty() updatedAt!: string;
}

export class SetStockDto {
  @ApiProperty({ enum: STOCK_CATEGORIES }) @IsIn(STOCK_CATEGORIES) category!: StockCategory;
  @ApiProperty({ example: '冲锋舟' }) @Trim() @IsString() @Length(1, 100) item!: string;
  @ApiProperty({ example: '艘' }) @Trim() @IsString() @Length(1, 20) unit!: string;

  @ApiProperty({ example: 12, minimum: 0, description: 'the counted quantity (up to 2 decimals)' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiPropertyOptional({ example: '汛前盘点', description: 'kept with the change; defaults to "stock-take"' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class AdjustStockDto {
  @ApiProperty({ enum: STOCK_CATEGORIES }) @IsIn(STOCK_CATEGORIES) category!: StockCategory;
  @ApiProperty({ example: '冲锋舟' }) @Trim() @IsString() @Length(1, 100) item!: string;

  @ApiProperty({ example: -3, description: 'added (positive) or issued (negative); never below zero in all' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @NotEquals(0)
  @Min(-MAX_QUANTITY)
  @Max(MAX_QUANTITY)
  delta!: number;

  @ApiProperty({ example: '调拨东塍镇 (台风“竹节草”)' }) @Trim() @IsString() @Length(1, 200) reason!: string;
}

export class StockSummaryQuery {
  @ApiPropertyOptional({ description: 'depots filed at this division or below it; your whole area when absent' })
  @IsOptional()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;
}

export class StockSummaryItemDto {
  @ApiProperty({ example: '卫星电话' }) item!: string;
  @ApiProperty({ example: '部' }) unit!: string;
  @ApiProperty({ example: 793 }) quantity!: number;
  @ApiProperty({ example: 21, description: 'depots holding some' }) depots!: number;
}

export class StockSummaryCategoryDto {
  @ApiProperty({ enum: STOCK_CATEGORIES }) category!: StockCategory;
  @ApiProperty({ type: Number, nullable: true, example: 170, description: 'sum over items when they share one unit, else null' })
  total!: number | null;
  @ApiProperty({ type: String, nullable: true, example: '艘' }) unit!: string | null;
  @ApiProperty({ type: [StockSummaryItemDto] }) items!: StockSummaryItemDto[];
}

export class StockSummaryDto {
  @ApiProperty({ example: '331082' }) divisionCode!: string;
  @ApiProperty({ example: 24, description: 'depots in the area' }) depots!: number;
  @ApiProperty({ type: [StockSummaryCategoryDto] }) categories!: StockSummaryCategoryDto[];
}
