import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { COMMAND_TIERS } from '@fangxun/config';

export class GroupMemberDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) holderId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) userId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['lead', 'member'] }) role!: string;
  @ApiProperty() addedBy!: string;
  @ApiProperty() addedAt!: string;
}

export class GroupDto {
  @ApiProperty({ enum: COMMAND_TIERS }) tier!: string;
  @ApiProperty({ example: 'coordination' }) code!: string;
  @ApiProperty({ example: '综合协调组' }) name!: string;
  @ApiProperty({ description: 'the "1" of its tier (the HQ head)' }) isLead!: boolean;
  @ApiProperty({ nullable: true, type: String }) planCode!: string | null;
  @ApiProperty({ type: [GroupMemberDto] }) members!: GroupMemberDto[];
}

export class TierDto {
  @ApiProperty({ enum: COMMAND_TIERS }) tier!: string;
  @ApiProperty({ example: '应急指挥部' }) name!: string;
  @ApiProperty({ nullable: true, type: String, example: '1+6' }) mode!: string | null;
  @ApiProperty({ type: [GroupDto] }) groups!: GroupDto[];
}

export class StaffGroupDto {
  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'responsibility holders (registry)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  holderIds?: string[];
  @ApiPropertyOptional({ type: [String], maxItems: 50, description: 'users (auth)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  userIds?: string[];
  @ApiPropertyOptional({ enum: ['lead', 'member'], default: 'member' }) @IsOptional() @IsIn(['lead', 'member']) role?: 'lead' | 'member';
}
