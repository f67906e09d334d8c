import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import { API_KEY_SCOPES, ApiKeyScope } from '@fangxun/common';

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '水文局数据推送' }) name!: string;
  @ApiProperty({ example: 'fx_a1B2c3D4', description: 'the public start of the key, to recognise it' }) prefix!: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true }) scopes!: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'updated at most once a minute' }) lastUsedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'the key itself; shown this once and never again', example: 'fx_a1B2c3D4_…' }) key!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: '水文局数据推送' }) @IsString() @Length(1, 100) name!: string;

  @ApiProperty({ maxItems: API_KEY_SCOPES.length, enum: API_KEY_SCOPES, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes!: ApiKeyScope[];

  @ApiPropertyOptional({ description: 'ISO 8601 instant in the future; omit for a key that does not expire' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

export class ApiKeyIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
}
