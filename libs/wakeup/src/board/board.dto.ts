import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';

export class TallyDto {
  @ApiProperty({ nullable: true, description: 'town code; null for the whole campaign (within your area)' }) townCode!: string | null;
  @ApiProperty() recipients!: number;
  @ApiProperty({ description: 'reached: push seen, SMS delivered, or answered' }) delivered!: number;
  @ApiProperty({ description: 'said "received" (叫应 person-times)' }) acknowledged!: number;
  @ApiProperty({ description: 'reported the task done' }) done!: number;
  @ApiProperty({ description: 'answered after the deadline' }) late!: number;
  @ApiProperty({ description: 'silent at the deadline and escalated' }) escalated!: number;
  @ApiProperty({ description: 'past the deadline and still silent (calls stood down or cancelled never count)' }) unreached!: number;
  @ApiProperty({ description: 'calls closed because an Update took the person off the warning’s ground (told once)' })
  stoodDown!: number;
  @ApiProperty({ description: 'calls closed unanswered because the warning was cancelled, lifted, expired or upgraded' })
  cancelled!: number;
  @ApiProperty({ description: 'SMS refused by the provider daily cap: phone them' }) smsCapped!: number;
  @ApiProperty({ description: 'acknowledged / recipients, 0..1' }) answerRate!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'seconds from start until 50 % had answered (null: not yet)' }) secondsTo50!:
    number | null;
  @ApiProperty({ type: Number, nullable: true }) secondsTo90!: number | null;
  @ApiProperty({ type: Number, nullable: true }) secondsTo100!: number | null;
}

export class EscalatedToDto {
  @ApiProperty({ enum: ['superior', 'backup', 'duty', 'board'] }) kind!: string;
  @ApiProperty({ nullable: true }) name!: string | null;
  @ApiProperty({ nullable: true }) callId!: string | null;
  @ApiProperty() answered!: boolean;
}

export class SilentPersonDto {
  @ApiProperty() callId!: string;
  @ApiProperty({ nullable: true }) holderId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() role!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ description: 'the full number: the duty officer phones silent people' }) mobile!: string;
  @ApiProperty() deadlineAt!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ nullable: true }) escalatedAt!: string | null;
  @ApiProperty({ nullable: true }) smsStatus!: string | null;
  @ApiProperty() smsCapped!: boolean;
  @ApiProperty() pushSeen!: boolean;
  @ApiProperty({ type: [EscalatedToDto] }) escalatedTo!: EscalatedToDto[];
}

export class BoardDto {
  @ApiProperty() campaignId!: string;
  @ApiProperty() state!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: TallyDto }) total!: TallyDto;
  @ApiProperty({ type: [TallyDto] }) towns!: TallyDto[];
  @ApiProperty({ type: [SilentPersonDto] }) silent!: SilentPersonDto[];
}

export class BoardQuery {
  @ApiPropertyOptional({ description: 'only this town (within your area)' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{6,12}$/, { message: 'must be a division code' })
  town?: string;
}

export class ListCampaignsQuery {
  @ApiPropertyOptional({ enum: ['active', 'closed'] }) @IsOptional() @IsIn(['active', 'closed']) state?: 'active' | 'closed';
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() warningId?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}
