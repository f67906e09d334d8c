import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value);

/** GET /audit: every filter optional and combined with AND; newest first. */
export class AuditQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'rows of one response incident' })
  @IsOptional()
  @IsUUID()
  incidentId?: string;

  @ApiPropertyOptional({ description: 'who: a user id or username, an API key id or name, or a job name' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  actor?: string;

  @ApiPropertyOptional({ example: 'holder', description: 'entity kind, e.g. holder, division, api_key, wakeup_campaign' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  entity?: string;

  @ApiPropertyOptional({ description: 'id (or code) of one entity; usually with `entity`' })
  @IsOptional()
  @IsString()
  @Length(1, 120)
  entityId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'at or after (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'before (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  cursor?: string;
}

export class AuditActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'system', 'link'] })
  kind!: 'user' | 'api_key' | 'system' | 'link';
  @ApiProperty({ description: "user id, API key id, 'system', or the holder id answering by link" })
  id!: string;
  @ApiProperty({ description: 'username, API key name, job name, or the answering channel' })
  name!: string;
}

export class AuditRowDto {
  @ApiProperty({ description: 'position in the chain (gapless, as text: bigint)' })
  seq!: string;
  @ApiProperty({ format: 'date-time' })
  at!: string;
  @ApiProperty({ type: AuditActorDto })
  actor!: AuditActorDto;
  @ApiProperty({ nullable: true, type: String, description: "the user's role at the time (null for keys and jobs)" })
  role!: string | null;
  @ApiProperty({ example: 'holder.update' })
  action!: string;
  @ApiProperty({ example: 'holder' })
  entity!: string;
  @ApiProperty()
  entityId!: string;
  @ApiProperty({ nullable: true, type: Object, description: 'changed fields before (phones masked); null on create' })
  before!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'changed fields after (phones masked); null on delete' })
  after!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String, description: 'the request id (X-Correlation-Id, also in the logs) or job run' })
  correlationId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  incidentId!: string | null;
  @ApiProperty()
  prevHash!: string;
  @ApiProperty()
  hash!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditRowDto] })
  items!: AuditRowDto[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
}

export class ChainReportDto {
  @ApiProperty({ description: 'true when every row up to the head checks out' })
  ok!: boolean;
  @ApiProperty({ description: 'rows checked' })
  rows!: number;
  @ApiProperty({ description: 'seq of the head when the walk began' })
  headSeq!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the first row that does not check out' })
  firstBadSeq!: string | null;
  @ApiProperty({ nullable: true, enum: ['hash_mismatch', 'broken_link', 'missing_rows', 'head_mismatch'] })
  problem!: string | null;
  @ApiProperty({ nullable: true, type: String })
  detail!: string | null;
  @ApiProperty({ description: 'time the walk took' })
  elapsedMs!: number;
}

/** The one order of GET /audit (newest first); cursors name it. */
export const AUDIT_SORT = 'seq-desc';
