import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'capped'] as const;

export class ListSmsQuery {
  @ApiPropertyOptional({ example: 'wakeup_call' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  refType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  refId?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class SmsMessageDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '+86*******5678', description: 'masked: only the last 4 digits shown' }) to!: string;
  @ApiProperty({ example: 'rainstorm' }) template!: string;
  @ApiProperty({ enum: ['wakeup', 'public', 'drill'] }) purpose!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ description: 'provider requests made so far' }) attempt!: number;
  @ApiProperty({ nullable: true, type: String }) provider!: string | null;
  @ApiProperty({ nullable: true, type: String }) providerMessageId!: string | null;
  @ApiProperty({ nullable: true, type: String }) refType!: string | null;
  @ApiProperty({ nullable: true, type: String }) refId!: string | null;
  @ApiProperty({ nullable: true, type: String }) errorCode!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) sentAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt!: string | null;
}

export class SmsProviderStatsDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: not yet tried with any provider' }) provider!: string | null;
  @ApiProperty({ example: { sent: 10, delivered: 8, failed: 1 } }) byStatus!: Record<string, number>;
  @ApiProperty() total!: number;
}
