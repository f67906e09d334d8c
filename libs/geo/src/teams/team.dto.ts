import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '@fangxun/platform';
import { normalisePhone } from '@fangxun/registry';
import { DIVISION_CODE, PLACE_CODE, Trim } from '../point-features/place-fields';
import { PointDto } from '../point-features/point.dto';
import { SPECIALITIES, Speciality, TEAM_LEVELS, TEAM_STATUSES, TeamLevel, TeamStatus } from './team-rules';

/** "139 1234 5678", "0576-85123456" → E.164; what does not parse is left for @Matches to refuse. */
const toE164 = ({ value }: { value: unknown }) => (typeof value === 'string' ? (normalisePhone(value) ?? value) : value);
const IsPhoneNumber = () =>
  ValidateBy({
    name: 'isPhoneNumber',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && normalisePhone(v) === v,
      defaultMessage: () => 'must be a valid phone number, e.g. +8613912345678 or 0576-85123456',
    },
  });

export class TeamDto {
  @ApiProperty({ example: 'JY-LH-001' }) code!: string;
  @ApiProperty({ example: '临海市蓝天救援队' }) name!: string;
  @ApiProperty({ enum: TEAM_LEVELS }) level!: TeamLevel;
  @ApiProperty({ example: '331082' }) divisionCode!: string;
  @ApiProperty({ example: '临海市' }) divisionName!: string;
  @ApiProperty({ example: 24 }) members!: number;
  @ApiProperty({ enum: SPECIALITIES, isArray: true }) specialities!: Speciality[];
  @ApiProperty({ type: PointDto }) base!: PointDto;
  @ApiProperty({ example: '李队长' }) contactName!: string;
  @ApiProperty({ example: '+8613912345678' }) contactPhone!: string;
  @ApiProperty({ enum: TEAM_STATUSES }) status!: TeamStatus;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreateTeamDto {
  @ApiProperty({ example: 'JY-LH-001' })
  @IsString()
  @Matches(PLACE_CODE, { message: 'must be 2-40 letters, digits, _ or -' })
  code!: string;
  @ApiProperty({ example: '临海市蓝天救援队' }) @Trim() @IsString() @Length(1, 100) name!: string;

  @ApiProperty({ enum: TEAM_LEVELS, description: 'city teams at the city division, town teams at a town' })
  @IsIn(TEAM_LEVELS)
  level!: TeamLevel;

  @ApiProperty({ example: '331082' }) @IsString() @Matches(DIVISION_CODE, { message: 'must be a division code' }) divisionCode!: string;
  @ApiProperty({ example: 24, minimum: 1 }) @IsInt() @Min(1) @Max(10_000) members!: number;

  @ApiProperty({ maxItems: SPECIALITIES.length, enum: SPECIALITIES, isArray: true })
  @IsArray()
  @ArrayMaxSize(SPECIALITIES.length)
  @ArrayUnique()
  @IsIn(SPECIALITIES, { each: true, message: `each speciality must be one of ${SPECIALITIES.join(', ')}` })
  specialities!: Speciality[];

  @ApiProperty({ type: PointDto, description: 'where the team and its gear are based' })
  @IsObject()
  @ValidateNested()
  @Type(() => PointDto)
  base!: PointDto;

  @ApiProperty({ example: '李队长' }) @Trim() @IsString() @Length(1, 50) contactName!: string;

  @ApiProperty({ example: '+8613912345678', description: 'mobile or landline; spaces, dashes and a missing +86 are accepted' })
  @Transform(toE164)
  @IsString()
  @IsPhoneNumber()
  contactPhone!: string;

  @ApiPropertyOptional({ enum: TEAM_STATUSES, default: 'standby' }) @IsOptional() @IsIn(TEAM_STATUSES) status?: TeamStatus;
}

export class UpdateTeamDto extends PartialType(OmitType(CreateTeamDto, ['code'] as const)) {}

/** A GeoJSON feature's properties: a create without the base point (the geometry) and the live status. */
export class TeamPropertiesDto extends OmitType(CreateTeamDto, ['base', 'status'] as const) {}

export class TeamStatusDto {
  @ApiProperty({ enum: TEAM_STATUSES }) @IsIn(TEAM_STATUSES) status!: TeamStatus;
}

export class TeamFilterQuery {
  @ApiPropertyOptional({ description: 'teams filed at this division or below it' })
  @IsOptional()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;

  @ApiPropertyOptional({ enum: TEAM_LEVELS }) @IsOptional() @IsIn(TEAM_LEVELS) level?: TeamLevel;
  @ApiPropertyOptional({ enum: TEAM_STATUSES }) @IsOptional() @IsIn(TEAM_STATUSES) status?: TeamStatus;
  @ApiPropertyOptional({ enum: SPECIALITIES }) @IsOptional() @IsIn(SPECIALITIES) speciality?: Speciality;
}

export class ListTeamsQuery extends IntersectionType(PageQueryDto, TeamFilterQuery) {}

export class TeamPageDto {
  @ApiProperty({ type: [TeamDto] }) items!: TeamDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
