import { ApiProperty } from '@nestjs/swagger';
import { AREA_KINDS, AreaKind } from './area.dto';

export const AREA_RELATIONS = ['inside', 'touching', 'overlapping', 'containing'] as const;

export class ScopeDto {
  @ApiProperty({ example: '331082001', description: 'every row of the answer lies in this division' }) divisionCode!: string;
  @ApiProperty({ example: '古城街道' }) divisionName!: string;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      "true: part of the area lies outside the caller's division and is not answered; null: the division has no boundary to tell",
  })
  clipped!: boolean | null;
}

export class AreaSummaryDto {
  @ApiProperty({ enum: AREA_KINDS }) kind!: AreaKind;
  @ApiProperty({ type: [String], required: false }) divisionCodes?: string[];
}
