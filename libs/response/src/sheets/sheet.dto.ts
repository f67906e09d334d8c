import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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
import { ReportItemDto } from '../orders/dto/order.dto';

export const CHAIN_STATES = ['prompted', 'instructed', 'fed_back', 'closed'] as const;
export type ChainState = (typeof CHAIN_STATES)[number];

/** 风险提示单: from a risk-assessment group, naming risk objects or areas (towns) and the risk. */
export class CreateRiskPromptDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() incidentId!: string;
  @ApiProperty({ example: '风险研判组' }) @IsString() @Length(2, 100) authorGroup!: string;
  @ApiProperty({ example: '大田平原内涝风险' }) @IsString() @Length(2, 200) title!: string;
  @ApiProperty({ example: '未来6小时大田平原累计雨量可达150毫米，低洼区有内涝风险。' }) @IsString() @Length(2, 2000) risk!: string;
  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'risk object codes (geo)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  riskObjectCodes?: string[];
  @ApiPropertyOptional({ type: [String], maxItems: 50, description: "towns at risk; default: the risk objects' towns" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^\d{9}$/, { each: true, message: 'each must be a town code (9 digits)' })
  townCodes?: string[];
}

/** 管控指令单: what must be done, by whom (the chain's towns, plus people named), by when; delivered as an order. */
export class CreateInstructionDto {
  @ApiProperty({ example: '应急指挥部' }) @IsString() @Length(2, 100) authorGroup!: string;
  @ApiProperty({ example: '立即转移低洼区群众，关闭下穿通道，回报转移人数。' }) @IsString() @Length(2, 2000) measures!: string;
  @ApiProperty({ description: 'feedback is due by then' }) @IsISO8601({ strict: true }) deadlineAt!: string;
  @ApiPropertyOptional({ type: [ReportItemDto], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReportItemDto)
  reportItems?: ReportItemDto[];
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 500, description: 'people named besides the towns' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  people?: string[];
  @ApiPropertyOptional({ enum: WAKEUP_LEVELS }) @IsOptional() @IsIn(WAKEUP_LEVELS) level?: WakeupLevel;
}

/** 反馈单: what was done, with counts and the names of attachments. */
export class CreateSheetFeedbackDto {
  @ApiPropertyOptional({ example: '331082001', description: 'the town reporting (required for a town admin)' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'must be a town code (9 digits)' })
  townCode?: string;
  @ApiPropertyOptional({ example: '古城街道应急办' }) @IsOptional() @IsString() @Length(2, 100) authorGroup?: string;
  @ApiProperty({ example: '已转移低洼区23户56人，下穿通道已封闭。' }) @IsString() @Length(1, 2000) done!: string;
  @ApiPropertyOptional({ type: Object, example: { peopleMoved: 56 } }) @IsOptional() @IsObject() counts?: Record<string, unknown>;
  @ApiPropertyOptional({ type: [String], maxItems: 20, example: ['转移名单.xlsx', '现场照片1.jpg'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  attachments?: string[];
}

export class CloseChainDto {
  @ApiProperty({ example: '风险已消除' }) @IsString() @Length(2, 500) note!: string;
}

/** Newest first unless `order=asc`; keyset pages of `limit`. */
export class ListChainsQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() incidentId?: string;
  @ApiPropertyOptional({ enum: CHAIN_STATES }) @IsOptional() @IsIn(CHAIN_STATES) state?: ChainState;
}

export class SheetDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['risk_prompt', 'control_instruction', 'feedback'] }) kind!: string;
  @ApiProperty() authorGroup!: string;
  @ApiProperty({ type: Object }) content!: Record<string, unknown>;
  @ApiProperty({ nullable: true }) townCode!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
}

export class SheetChainDto {
  @ApiProperty() id!: string;
  @ApiProperty() incidentId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CHAIN_STATES }) state!: string;
  @ApiProperty({ description: "the instruction's deadline passed before feedback" }) overdue!: boolean;
  @ApiProperty({ type: [String] }) riskObjectCodes!: string[];
  @ApiProperty({ type: [String] }) townCodes!: string[];
  @ApiProperty({ nullable: true, description: 'the order delivering the instruction' }) orderId!: string | null;
  @ApiProperty({ nullable: true }) dueAt!: string | null;
  @ApiProperty({ nullable: true }) overdueAt!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true }) closedAt!: string | null;
  @ApiProperty({ nullable: true }) closeNote!: string | null;
  @ApiProperty({ type: [SheetDto] }) sheets!: SheetDto[];
}

export class SheetChainPageDto {
  @ApiProperty({ type: [SheetChainDto] }) items!: SheetChainDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
