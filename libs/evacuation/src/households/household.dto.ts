import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { VULNERABLE_CATEGORIES } from '@fangxun/geo';
import { PageQueryDto } from '@fangxun/platform';

const CODE = /^[0-9A-Za-z_-]{2,40}$/;

export class HouseholdFilterQuery {
  @ApiPropertyOptional({ description: 'only the households of this risk object', example: 'FF-331082101-01' })
  @IsOptional()
  @Matches(CODE, { message: 'riskObjectCode must be a risk object code' })
  riskObjectCode?: string;

  @ApiPropertyOptional({ description: 'only under this division (town, village, grid); default: your area', example: '331082101' })
  @IsOptional()
  @Matches(/^[0-9]{6,12}(G[0-9]{2,3})?$/, { message: 'divisionCode must be a division code' })
  divisionCode?: string;
}

export class ListHouseholdsQuery extends IntersectionType(PageQueryDto, HouseholdFilterQuery) {}

export class VulnerableMemberDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: VULNERABLE_CATEGORIES }) category!: string;
  @ApiProperty({ type: String, nullable: true }) needs!: string | null;
  @ApiProperty({ description: 'the named helper (帮扶人)' }) helperName!: string;
  @ApiProperty({ description: 'masked (139****5678) for roles that do not move people (auditor, API keys)' }) helperPhone!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the helper when he is a responsibility holder' })
  helperHolderId!: string | null;
}

export class HolderRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ description: 'masked for roles that do not move people' }) mobile!: string;
}

export class ShelterRefDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class HouseholdDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'FF-331082101-01-H003' }) code!: string;
  @ApiProperty() riskObjectCode!: string;
  @ApiProperty() riskObjectName!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() divisionName!: string;
  @ApiProperty({ description: '户主' }) headName!: string;
  @ApiProperty({ description: "head's phone; masked (139****5678) for roles that do not move people (auditor, API keys)" })
  headPhone!: string;
  @ApiProperty({ example: 4 }) members!: number;
  @ApiProperty({ type: [VulnerableMemberDto] }) vulnerable!: VulnerableMemberDto[];
  @ApiProperty({ type: HolderRefDto, nullable: true, description: 'who moves this household (包户责任人)' })
  responsibleHolder!: HolderRefDto | null;
  @ApiProperty({ type: ShelterRefDto, nullable: true, description: 'assigned shelter; none: the nearest with room at dispatch' })
  shelter!: ShelterRefDto | null;
  @ApiProperty({ type: String, nullable: true }) routeNote!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class HouseholdPageDto {
  @ApiProperty({ type: [HouseholdDto] }) items!: HouseholdDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
