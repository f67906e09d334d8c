import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '@fangxun/common';
import { PageQueryDto, toBool } from '@fangxun/platform';
import { DIVISION_LEVELS, DivisionLevel } from '@fangxun/registry';

/** Same pattern as the users table's check constraint, so the database never refuses what passed here. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const DIVISION_CODE = /^[0-9A-Za-z_]{2,24}$/;
/** Usernames are compared lower-case everywhere (login, uniqueness, rate limiting). */
export const normaliseUsername = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Password rules: at least 10 characters; the upper bound keeps hashing cost bounded. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'wang.jun' }) username!: string;
  @ApiProperty({ example: '王军' }) displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() active!: boolean;
  @ApiProperty({ example: '331082001' }) divisionCode!: string;
  @ApiProperty({ example: '古城街道' }) divisionName!: string;
  @ApiProperty({ enum: DIVISION_LEVELS }) divisionLevel!: DivisionLevel;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class CreateUserDto {
  @ApiProperty({ example: 'wang.jun', description: '3-64 of a-z 0-9 . _ - (lower-cased on input)' })
  @Transform(normaliseUsername)
  @IsString()
  @Matches(USERNAME, { message: 'must be 3-64 characters: a-z, 0-9, . _ - (starting with a letter or digit)' })
  username!: string;

  @ApiProperty({ example: '王军' }) @Transform(trim) @IsString() @Length(1, 50) displayName!: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;

  @ApiProperty({ example: '331082001', description: 'division the role is exercised in' })
  @IsString()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, writeOnly: true })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @Length(1, 50) displayName?: string;

  @ApiPropertyOptional({ description: 'false stops logins and every token already issued' }) @IsOptional() @IsBoolean() active?: boolean;

  @ApiPropertyOptional({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, writeOnly: true })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password?: string;

  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;

  @ApiPropertyOptional({ description: 'move the user to another division (needed when the new role sits at another level)' })
  @IsOptional()
  @IsString()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;
}

export class ListUsersQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;

  @ApiPropertyOptional({ description: 'only users attached at or below this division' })
  @IsOptional()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  withinCode?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() active?: boolean;

  @ApiPropertyOptional({ description: 'username or display name contains' }) @IsOptional() @IsString() @Length(1, 50) q?: string;
}

export class UserIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}
