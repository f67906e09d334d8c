import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { WakeupLevel } from '@fangxun/config';
import { WAKEUP_LEVELS } from '@fangxun/config';
import { PageQueryDto } from '@fangxun/platform';

/** A count the order asks to be reported back (`peopleMoved`: 转移人数). */
export class ReportItemDto {
  @ApiProperty({ example: 'peopleMoved', description: 'the key of the count in the feedback' })
  @Matches(/^[a-z][A-Za-z0-9]{0,39}$/, { message: 'must be a camelCase key of at most 40 letters and digits' })
  key!: string;
  @ApiProperty({ example: '转移人数' }) @IsString() @Length(1, 40) label!: string;
}

/** A working group as a target: its members named (the group roster lives with the incident). */
export class OrderGroupDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the incident group, when it has one' }) @IsOptional() @IsUUID() groupId?: string;
  @ApiProperty({ example: '转移安置组' }) @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ type: [String], format: 'uuid', maxItems: 200 })
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  holderIds!: string[];
}

/** An order (指令) from an HQ or a group to towns, groups or named people. */
export class CreateOrderDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() incidentId!: string;
  @ApiProperty({ enum: ['hq', 'group'] }) @IsIn(['hq', 'group']) issuerKind!: 'hq' | 'group';
  @ApiProperty({ example: '临海市防指应急指挥部' }) @IsString() @Length(2, 100) issuerName!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() issuerGroupId?: string;
  @ApiProperty({ example: '大田平原低洼区人员转移指令' }) @IsString() @Length(2, 200) title!: string;
  @ApiProperty({ example: '18:00前完成低洼区人员转移，回报转移人数。' }) @IsString() @Length(2, 2000) body!: string;
  @ApiProperty({ description: 'completion (反馈) is due by then; ISO 8601 with offset' }) @IsISO8601({ strict: true }) deadlineAt!: string;
  @ApiPropertyOptional({ type: [ReportItemDto], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReportItemDto)
  reportItems?: ReportItemDto[];
  @ApiPropertyOptional({ type: [String], maxItems: 50, example: ['331082001'], description: 'towns (their town holders are called)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^\d{9}$/, { each: true, message: 'each must be a town code (9 digits)' })
  towns?: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 500, description: 'named responsibility holders' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  people?: string[];
  @ApiPropertyOptional({ type: [OrderGroupDto], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => OrderGroupDto)
  groups?: OrderGroupDto[];
  @ApiPropertyOptional({ enum: WAKEUP_LEVELS, description: 'receipt deadline and escalation (default config responseOrders.defaultLevel)' })
  @IsOptional()
  @IsIn(WAKEUP_LEVELS)
  level?: WakeupLevel;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() drill?: boolean;
  @ApiPropertyOptional({ description: 'idempotency key: the same key returns the first order' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{4,80}$/, { message: 'must be 4–80 letters, digits or ._:-' })
  requestKey?: string;
}

/** 反馈: what was done, with the counts the order asked for. */
export class OrderFeedbackDto {
  @ApiProperty({ example: '低洼区23户56人已转移至大田中学避灾点' }) @IsString() @Length(1, 2000) report!: string;
  @ApiPropertyOptional({ type: Object, example: { peopleMoved: 56 }, description: 'every count the order asks for, whole numbers' })
  @IsOptional()
  @IsObject()
  counts?: Record<string, unknown>;
}

/** Newest first unless `order=asc`; keyset pages of `limit` (default config registry.pageSizeDefault). */
export class ListOrdersQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() incidentId?: string;
  @ApiPropertyOptional({ enum: ['open', 'completed'] }) @IsOptional() @IsIn(['open', 'completed']) state?: 'open' | 'completed';
}

export class OrderTargetDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['town', 'group', 'person'] }) kind!: string;
  @ApiProperty({ description: 'town code, group id or name, holder id' }) ref!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'the town it counts under on the board (the city for groups)' }) townCode!: string;
  @ApiProperty({ enum: ['sent', 'signed', 'completed'] }) state!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ nullable: true }) signedAt!: string | null;
  @ApiProperty({ nullable: true }) signedVia!: string | null;
  @ApiProperty({ nullable: true }) signedBy!: string | null;
  @ApiProperty({ nullable: true }) escalatedAt!: string | null;
  @ApiProperty({ nullable: true }) overdueAt!: string | null;
  @ApiProperty({ nullable: true }) completedAt!: string | null;
  @ApiProperty({ nullable: true }) completedVia!: string | null;
  @ApiProperty({ nullable: true }) completedBy!: string | null;
  @ApiProperty({ nullable: true }) report!: string | null;
  @ApiProperty({ type: Object, nullable: true }) counts!: Record<string, number> | null;
  @ApiProperty({ description: 'completed after the deadline' }) late!: boolean;
  @ApiProperty() people!: number;
  @ApiProperty() peopleSigned!: number;
}

export class OrderDto {
  @ApiProperty() id!: string;
  @ApiProperty() incidentId!: string;
  @ApiProperty({ enum: ['hq', 'group'] }) issuerKind!: string;
  @ApiProperty() issuerName!: string;
  @ApiProperty({ nullable: true }) issuerGroupId!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: [ReportItemDto] }) reportItems!: ReportItemDto[];
  @ApiProperty({ enum: WAKEUP_LEVELS }) level!: string;
  @ApiProperty() deadlineAt!: string;
  @ApiProperty() drill!: boolean;
  @ApiProperty({ nullable: true, description: 'the wake-up campaign that delivers it' }) campaignId!: string | null;
  @ApiProperty({ enum: ['open', 'completed'] }) state!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: [OrderTargetDto], description: "a town admin sees his town's targets only" }) targets!: OrderTargetDto[];
}

export class OrderBoardRowDto {
  @ApiProperty() townCode!: string;
  @ApiProperty({ nullable: true }) townName!: string | null;
  @ApiProperty() targets!: number;
  @ApiProperty() signed!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty() escalated!: number;
  @ApiProperty() people!: number;
  @ApiProperty() peopleSigned!: number;
}

export class OrderBoardDto {
  @ApiProperty() orderId!: string;
  @ApiProperty() deadlineAt!: string;
  @ApiProperty({ enum: ['open', 'completed'] }) state!: string;
  @ApiProperty({ type: [OrderBoardRowDto] }) towns!: OrderBoardRowDto[];
  @ApiProperty({ type: OrderBoardRowDto }) total!: OrderBoardRowDto;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items!: OrderDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
