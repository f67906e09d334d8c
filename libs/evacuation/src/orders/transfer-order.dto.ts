import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { ORDER_LEVELS, REPORT_KINDS, TASK_STATUSES } from './transfer-order.types';

export class RaiseOrderDto {
  @ApiProperty({ enum: ORDER_LEVELS, description: 'prepare = 准备转移, immediate = 立即转移' })
  @IsIn(ORDER_LEVELS)
  level!: 'prepare' | 'immediate';

  @ApiPropertyOptional({ type: [String], maxItems: 500, description: 'risk objects whose households move (give this or divisionCodes)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(/^[0-9A-Za-z_-]{2,40}$/, { each: true, message: 'each riskObjectCodes entry must be a risk object code' })
  riskObjectCodes?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 100, description: 'divisions (town, village, grid) all of whose households move' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(/^[0-9]{6,12}(G[0-9]{2,3})?$/, { each: true, message: 'each divisionCodes entry must be a division code' })
  divisionCodes?: string[];

  @ApiPropertyOptional({ description: 'the incident (response module) this order belongs to' })
  @IsOptional()
  @IsUUID()
  incidentId?: string;

  @ApiProperty({ example: '东湖村山洪危险区立即转移', maxLength: 150 }) @IsString() @Length(1, 150) title!: string;

  @ApiPropertyOptional({ maxLength: 300 }) @IsOptional() @IsString() @Length(1, 300) reason?: string;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() drill?: boolean;

  @ApiPropertyOptional({ description: 'the same key twice raises one order (a resent request)', example: 'cmd-20260701-0801' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:-]{4,80}$/, { message: 'requestKey must be 4–80 letters, digits or ._:-' })
  requestKey?: string;
}

export class RaisedOrderDto {
  @ApiProperty() orderId!: string;
  @ApiProperty({ description: 'false: the request key had raised this order already' }) created!: boolean;
  @ApiProperty({ description: 'households to move (one task each)' }) tasks!: number;
  @ApiProperty({ description: 'open 准备转移 tasks this 立即转移 order took over, places kept' }) takenOver!: number;
  @ApiProperty() people!: number;
  @ApiProperty({ description: 'shelter places held for them' }) reserved!: number;
  @ApiProperty({ description: 'tasks sent elsewhere than their assigned (or nearest) shelter, which was full' }) rerouted!: number;
  @ApiProperty({ description: 'tasks with no shelter with room within the configured distance: the command room must place them' })
  flagged!: number;
  @ApiProperty({ type: String, nullable: true, description: 'the wake-up campaign that pushes the tasks to their holders' })
  campaignId!: string | null;
}

export class TaskDto {
  @ApiProperty() id!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty() householdCode!: string;
  @ApiProperty() headName!: string;
  @ApiProperty() people!: number;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ type: String, nullable: true }) holderId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'null: flagged, no shelter with room' }) shelterCode!: string | null;
  @ApiProperty({ description: 'places held at the shelter' }) reserved!: number;
  @ApiProperty({ type: String, nullable: true, description: 'the shelter it was meant for, when that was full' })
  reroutedFromShelterCode!: string | null;
  @ApiProperty({ type: Number, nullable: true }) distanceM!: number | null;
  @ApiProperty({ type: String, nullable: true }) routeNote!: string | null;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty() checkedIn!: number;
  @ApiProperty({ description: 'people the holder reported moved' }) movedPeople!: number;
  @ApiProperty({ description: 'moved by force after a refusal (强制转移)' }) forced!: boolean;
  @ApiProperty({ description: 'no shelter, or no responsible holder: the command room acts' }) flagged!: boolean;
}

export class TransferOrderDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ORDER_LEVELS }) level!: string;
  @ApiProperty({ enum: ['active', 'lifted', 'cancelled'] }) state!: string;
  @ApiProperty({ enum: ['risk_status', 'manual'] }) source!: string;
  @ApiProperty({ type: String, nullable: true }) incidentId!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) campaignId!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [TaskDto], description: 'the tasks in your area' }) tasks!: TaskDto[];
}

export class CheckInTaskDto {
  @ApiProperty({ example: 3, minimum: 1, maximum: 500 }) @IsInt() @Min(1) @Max(500) people!: number;

  @ApiPropertyOptional({ description: 'another shelter than the task’s (a flagged task, or people who went elsewhere)' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z_-]{2,40}$/, { message: 'shelterCode must be a shelter code' })
  shelterCode?: string;
}

export class TaskReportDto {
  @ApiProperty({ description: 'made by the phone; a resend with the same id changes nothing', example: 'a1b2c3d4-0001' })
  @Matches(/^[A-Za-z0-9._:-]{8,80}$/, { message: 'clientId must be 8–80 letters, digits or ._:-' })
  clientId!: string;

  @ApiProperty({ enum: REPORT_KINDS }) @IsIn(REPORT_KINDS) kind!: (typeof REPORT_KINDS)[number];

  @ApiPropertyOptional({ description: 'people moved (kind moved)', minimum: 0, maximum: 500 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(500)
  people?: number;

  @ApiPropertyOptional({ description: 'why (required for refused)', maxLength: 300 })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  reason?: string;

  @ApiPropertyOptional({ description: 'moved by force after refusing (强制转移), with kind moved' })
  @IsOptional()
  @IsBoolean()
  forced?: boolean;
}

export class TaskReportResultDto {
  @ApiProperty({ description: 'true: this client id was reported before; nothing changed' }) duplicate!: boolean;
  @ApiProperty({ type: TaskDto }) task!: TaskDto;
}

export class LiftOrderDto {
  @ApiProperty({ example: '雨停水退，解除转移', maxLength: 300 }) @IsString() @Length(1, 300) reason!: string;
}

export class LiftedOrderDto {
  @ApiProperty() orderId!: string;
  @ApiProperty({ description: 'places held for people who never arrived, given back' }) released!: number;
  @ApiProperty({ description: 'tasks closed (nobody in a shelter)' }) closed!: number;
}
