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

export class StatsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 168, default: 24, description: 'provider figures over messages created in the last hours' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(168)
  hours?: number;
}

export class SmsAttemptDto {
  @ApiProperty() at!: string;
  @ApiProperty() provider!: string;
  @ApiProperty({ enum: ['send', 'query', 'receipt'] }) kind!: string;
  @ApiProperty({
    example: 'failed',
    description: 'send: accepted|failed|throttled|capped|unknown; query: found|not_found|unknown; receipt: delivered|undelivered',
  })
  result!: string;
  @ApiPropertyOptional({ example: 'isv.BUSINESS_LIMIT_CONTROL' }) code?: string;
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
  @ApiProperty({ type: [SmsAttemptDto], maxItems: 20, description: 'provider requests, look-ups and receipts, oldest first (the last 20)' })
  attempts!: SmsAttemptDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) sentAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt!: string | null;
}

export class SmsProviderStatsDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: not yet tried with any provider' }) provider!: string | null;
  @ApiProperty({ example: { sent: 10, delivered: 8, failed: 1 } }) byStatus!: Record<string, number>;
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'send requests, counted per message (in the window)' }) requests!: number;
  @ApiProperty() accepted!: number;
  @ApiProperty({ example: { SignatureDoesNotMatch: 12 }, description: "messages not accepted, by the provider's code" })
  errorsByCode!: Record<string, number>;
  @ApiProperty({ description: 'messages moved on to the next provider after this one did not take them' }) failovers!: number;
  @ApiProperty() throttles!: number;
  @ApiProperty({ description: "refused under the provider's per-number limit" }) capped!: number;
  @ApiProperty({ example: { found: 3, not_found: 1, unknown: 0 }, description: 'status look-ups of unknown outcomes' })
  queries!: Record<string, number>;
}
