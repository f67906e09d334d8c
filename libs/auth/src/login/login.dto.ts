import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { Role, ROLES } from '@fangxun/common';
import { normaliseUsername } from '../users/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'commander' }) @Transform(normaliseUsername) @IsString() @Length(1, 64) username!: string;

  /** Capped so that nobody can make the server hash megabytes; real passwords are far shorter. */
  @ApiProperty({ writeOnly: true, maxLength: 1024 }) @IsString() @Length(1, 1024) password!: string;
}

export class LoginUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'commander' }) username!: string;
  @ApiProperty({ example: '张指挥' }) displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ example: '331082' }) divisionCode!: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'send as `Authorization: Bearer <accessToken>`' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds until the token expires', example: 43200 }) expiresIn!: number;
  @ApiProperty({ type: LoginUserDto }) user!: LoginUserDto;
}
