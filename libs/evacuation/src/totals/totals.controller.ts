import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, CurrentPrincipal, Principal, Roles } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { TotalsService } from './totals.service';

class ShelterFiguresDto {
  @ApiProperty() shelters!: number;
  @ApiProperty() capacity!: number;
  @ApiProperty() occupancy!: number;
  @ApiProperty() reserved!: number;
}

class FiguresDto {
  @ApiProperty({ description: 'households to move (tasks)' }) households!: number;
  @ApiProperty({ description: 'people to move' }) people!: number;
  @ApiProperty() notified!: number;
  @ApiProperty() moving!: number;
  @ApiProperty({ description: 'people moved, as reported or checked in' }) moved!: number;
  @ApiProperty() inShelters!: number;
  @ApiProperty() refused!: number;
  @ApiProperty() unreachable!: number;
  @ApiProperty() trapped!: number;
  @ApiProperty() returned!: number;
  @ApiProperty({ description: 'tasks without a shelter or a responsible holder' }) flagged!: number;
  @ApiProperty({ type: ShelterFiguresDto }) shelters!: ShelterFiguresDto;
}

class TownFiguresDto extends FiguresDto {
  @ApiProperty({ example: '331082101' }) town!: string;
}

class TotalsDto {
  @ApiProperty({ type: [TownFiguresDto] }) towns!: TownFiguresDto[];
  @ApiProperty({ type: FiguresDto, description: 'the city, or your area' }) total!: FiguresDto;
}

@ApiTags('evacuation: transfer orders')
@ApiBearerAuth()
@Controller('evacuation/totals')
export class TotalsController {
  constructor(private readonly totals: TotalsService) {}

  @Get()
  @Roles(ALL_ROLES)
  @ApiOperation({ summary: 'Transfer totals per town and in all (your area); pushed live to /command as evacuation.totals' })
  @ApiOkResponse({ type: TotalsDto })
  @ApiErrors(401)
  get(@CurrentPrincipal() p: Principal): Promise<TotalsDto> {
    return this.totals.forPrincipal(p);
  }
}
