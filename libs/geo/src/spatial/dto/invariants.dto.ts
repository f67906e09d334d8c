import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { toInt } from '@fangxun/platform';
import { RISK_TYPES, RiskType } from '../../risk-objects/risk-object.types';
import { ScopeDto } from './spatial-common.dto';

export class InvariantsQuery {
  @ApiPropertyOptional({ example: '331082001', description: 'only under this division (default: your whole area)' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z_]{2,24}$/, { message: 'must be a division code' })
  divisionCode?: string;

  @ApiPropertyOptional({
    default: 200,
    minimum: 1,
    maximum: 5000,
    description: 'at most this many items per list (counts are always complete)',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

export class InvariantItemDto {
  @ApiProperty({ example: 'LH-SH-001' }) code!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ enum: RISK_TYPES, description: 'risk objects only' }) type?: RiskType;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ example: 'primary holder 王伟 is inactive and there is no backup' }) problem!: string;
}

export class InvariantListDto {
  @ApiProperty() count!: number;
  @ApiProperty({ type: [InvariantItemDto] }) items!: InvariantItemDto[];
}

export class InvariantsDto {
  @ApiProperty({ type: ScopeDto }) scope!: ScopeDto;
  @ApiProperty({ type: InvariantListDto, description: 'no primary (or an inactive one) and no active backup: nobody to call' })
  noReachableHolder!: InvariantListDto;
  @ApiProperty({ type: InvariantListDto, description: 'no backup holder, or an inactive one' }) noBackup!: InvariantListDto;
  @ApiProperty({ type: InvariantListDto, description: 'shelters with no manager, or an inactive one' })
  shelterWithoutManager!: InvariantListDto;
  @ApiProperty({ type: InvariantListDto, description: 'flash-flood zones without 准备转移/立即转移 rainfall indicators' })
  flashFloodWithoutIndicators!: InvariantListDto;
  @ApiProperty({ type: InvariantListDto, description: 'risk objects threatening people with no assigned shelter' })
  noAssignedShelter!: InvariantListDto;
}
