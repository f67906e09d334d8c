import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQueryDto } from '@fangxun/platform';
import { HolderRefDto } from '../holders/holder.dto';
import { toE164 } from '../holders/phone';
import { IsPhone } from '../holders/phone.validators';

const CODE = /^[0-9A-Za-z_]{2,24}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class RosterDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-07-28' }) dutyDate!: string;
  @ApiProperty({ example: '331082' }) divisionCode!: string;
  @ApiProperty({ type: HolderRefDto, description: 'leader on shift (带班领导)' }) leader!: HolderRefDto;
  @ApiProperty({ type: [HolderRefDto] }) officers!: HolderRefDto[];
  @ApiProperty({ type: String, nullable: true }) dutyPhone!: string | null;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
}

export class CreateRosterDto {
  @ApiProperty({ example: '2026-07-28' })
  @Matches(DATE, { message: 'must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a real calendar date' })
  dutyDate!: string;

  @ApiProperty({ example: '331082' }) @Matches(CODE, { message: 'must be a division code' }) divisionCode!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') leaderId!: string;

  @ApiProperty({ maxItems: 50, type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  officerIds!: string[];

  @ApiPropertyOptional({ example: '+8657685123456' }) @IsOptional() @Transform(toE164) @IsPhone() dutyPhone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) notes?: string;
}

export class UpdateRosterDto extends PartialType(CreateRosterDto) {}

export class ListRostersQuery extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Matches(CODE, { message: 'must be a division code' }) divisionCode?: string;
  @ApiPropertyOptional({ example: '2026-07-01' }) @IsOptional() @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional({ example: '2026-07-31' }) @IsOptional() @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) to?: string;
}

export class RosterPageDto {
  @ApiProperty({ type: [RosterDto] }) items!: RosterDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
