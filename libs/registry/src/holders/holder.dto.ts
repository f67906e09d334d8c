import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { PageQueryDto, toBool } from '@fangxun/platform';
import type { HolderKind } from '../divisions/division-rules';
import { HOLDER_ROLES, HolderRole } from './holder-role';
import { toE164, toE164List } from './phone';
import { IsChineseMobile, IsPhone } from './phone.validators';

const CODE = /^[0-9A-Za-z_]{2,24}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class HolderRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: HOLDER_ROLES }) role!: HolderRole;
  @ApiProperty() divisionCode!: string;
}

export class HolderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '王建国' }) name!: string;
  @ApiProperty({ enum: HOLDER_ROLES }) role!: HolderRole;
  @ApiProperty({ enum: ['city', 'administrative', 'grid'] }) kind!: HolderKind;
  @ApiProperty({ example: '331082001001' }) divisionCode!: string;
  @ApiProperty({ example: '东湖村' }) divisionName!: string;
  @ApiProperty({ example: '+8613912345678' }) mobile!: string;
  @ApiProperty({ type: [String], example: ['+8657685123456'] }) otherPhones!: string[];
  @ApiProperty({ type: HolderRefDto, nullable: true }) superior!: HolderRefDto | null;
  @ApiProperty({ type: HolderRefDto, nullable: true }) backup!: HolderRefDto | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: Number, nullable: true, example: 2025 }) appointedYear!: number | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreateHolderDto {
  @ApiProperty({ example: '王建国' }) @Transform(trim) @IsString() @Length(1, 50) name!: string;

  @ApiProperty({ enum: HOLDER_ROLES }) @IsIn(HOLDER_ROLES) role!: HolderRole;

  @ApiProperty({ example: '331082001001' }) @IsString() @Matches(CODE, { message: 'must be a division code' }) divisionCode!: string;

  @ApiProperty({ example: '+8613912345678', description: 'Chinese mobile; spaces, dashes and a missing +86 are accepted' })
  @Transform(toE164)
  @IsString()
  @IsChineseMobile()
  mobile!: string;

  @ApiPropertyOptional({ type: [String], maxItems: 4, description: 'other numbers (landline, office), E.164' })
  @IsOptional()
  @Transform(toE164List)
  @IsArray()
  @ArrayMaxSize(4)
  @IsPhone({ each: true })
  otherPhones?: string[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'the holder this person answers to (包保 chain)' })
  @IsOptional()
  @IsUUID('all')
  superiorId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'who stands in (AB岗) when this person cannot be reached' })
  @IsOptional()
  @IsUUID('all')
  backupId?: string | null;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;

  @ApiPropertyOptional({ example: 2025 }) @IsOptional() @IsInt() @Min(2000) @Max(2100) appointedYear?: number;
}

export class UpdateHolderDto extends PartialType(CreateHolderDto) {}

export class ListHoldersQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'holders in this division and everything below it' })
  @IsOptional()
  @Matches(CODE, { message: 'must be a division code' })
  divisionCode?: string;

  @ApiPropertyOptional({ enum: HOLDER_ROLES }) @IsOptional() @IsIn(HOLDER_ROLES) role?: HolderRole;

  @ApiPropertyOptional({ enum: ['city', 'administrative', 'grid'] })
  @IsOptional()
  @IsIn(['city', 'administrative', 'grid'])
  kind?: HolderKind;

  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() active?: boolean;

  @ApiPropertyOptional({ description: 'name contains, or mobile equals' }) @IsOptional() @IsString() @Length(1, 50) q?: string;

  @ApiPropertyOptional({ enum: ['name', 'createdAt', 'role'], default: 'name' })
  @IsOptional()
  @IsIn(['name', 'createdAt', 'role'])
  sort?: 'name' | 'createdAt' | 'role';
}

export class HolderPageDto {
  @ApiProperty({ type: [HolderDto] }) items!: HolderDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
