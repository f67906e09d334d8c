import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ScopeDto } from './spatial-common.dto';

export class CapacityCheckQuery {
  @ApiPropertyOptional({ enum: ['town', 'village'], default: 'village' }) @IsOptional() @IsIn(['town', 'village']) level?:
    'town' | 'village';

  @ApiPropertyOptional({ example: '331082001', description: 'only units under this division (default: your whole area)' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z_]{2,24}$/, { message: 'must be a division code' })
  divisionCode?: string;
}

export class CapacityFiguresDto {
  @ApiProperty() riskObjects!: number;
  @ApiProperty({ description: 'sum of threatened people over its risk objects' }) threatenedPeople!: number;
  @ApiProperty({ description: 'places in open shelters filed in it' }) shelterCapacity!: number;
  @ApiProperty({ description: 'places in open shelters assigned to its risk objects (wherever they are)' }) assignedCapacity!: number;
  @ApiProperty({ description: 'places in open shelters that are either, each shelter once' }) usableCapacity!: number;
  @ApiProperty({ description: 'threatenedPeople ≤ usableCapacity' }) fits!: boolean;
  @ApiProperty({ description: 'threatenedPeople − usableCapacity when it does not fit, else 0' }) shortfall!: number;
}

export class CapacityUnitDto extends CapacityFiguresDto {
  @ApiProperty({ example: '331082001001' }) code!: string;
  @ApiProperty({ example: '东湖村' }) name!: string;
}

export class CapacityTotalsDto extends CapacityFiguresDto {
  @ApiProperty({ description: 'units that do not fit' }) unitsShort!: number;
  @ApiProperty() units!: number;
}

export class CapacityCheckDto {
  @ApiProperty({ type: ScopeDto }) scope!: ScopeDto;
  @ApiProperty({ enum: ['town', 'village'] }) level!: 'town' | 'village';
  @ApiProperty({ type: [CapacityUnitDto] }) units!: CapacityUnitDto[];
  @ApiProperty({
    type: CapacityTotalsDto,
    description: 'the whole division asked about (the city for city-wide roles), each object and shelter once',
  })
  totals!: CapacityTotalsDto;
}
