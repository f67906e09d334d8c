import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQueryDto, toBool } from '@fangxun/platform';
import { RISK_STATUSES, RISK_TYPES, RiskStatus, RiskType } from '../risk-object.types';
import { IndicatorDto, VulnerablePersonDto } from './risk-object-input.dto';

const DIVISION_CODE = /^[0-9A-Za-z_]{2,24}$/;

/** Filters shared by the list and the GeoJSON export. */
export class RiskObjectFilterQuery {
  @ApiPropertyOptional({ enum: RISK_TYPES }) @IsOptional() @IsIn(RISK_TYPES) type?: RiskType;

  @ApiPropertyOptional({ description: 'objects filed in this division or below it' })
  @IsOptional()
  @Matches(DIVISION_CODE, { message: 'must be a division code' })
  divisionCode?: string;

  @ApiPropertyOptional({ enum: RISK_STATUSES }) @IsOptional() @IsIn(RISK_STATUSES) status?: RiskStatus;

  @ApiPropertyOptional({ description: 'name contains, or code / vessel number equals' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  q?: string;
}

export class ListRiskObjectsQuery extends IntersectionType(PageQueryDto, RiskObjectFilterQuery) {
  @ApiPropertyOptional({ enum: ['code', 'name'], default: 'code' }) @IsOptional() @IsIn(['code', 'name']) sort?: 'code' | 'name';

  @ApiPropertyOptional({ default: false, description: 'include each object’s GeoJSON geometry (heavier)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  withGeometry?: boolean;
}

export class RiskHolderRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() role!: string;
  @ApiProperty() divisionCode!: string;
  @ApiProperty({ example: '+8613912345678' }) mobile!: string;
  @ApiProperty() active!: boolean;
}

export class RiskShelterRefDto {
  @ApiProperty({ example: 1 }) preference!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['city', 'town', 'village'] }) tier!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty() open!: boolean;
}

export class StatusChangeDto {
  @ApiProperty({ enum: RISK_STATUSES }) from!: RiskStatus;
  @ApiProperty({ enum: RISK_STATUSES }) to!: RiskStatus;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'username, API key name or module' }) by!: string;
  @ApiProperty() at!: string;
}

export class RiskObjectSummaryDto {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RISK_TYPES }) type!: RiskType;
  @ApiProperty() divisionCode!: string;
  @ApiProperty() divisionName!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes!: Record<string, unknown>;
  @ApiProperty() threatenedHouseholds!: number;
  @ApiProperty() threatenedPeople!: number;
  @ApiProperty({ enum: RISK_STATUSES }) status!: RiskStatus;
  @ApiProperty() statusChangedAt!: string;
  @ApiProperty({ type: String, nullable: true }) statusReason!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) primaryHolderId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) backupHolderId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'fishing boats: time of the position shown' }) positionReportedAt!:
    string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'RFC 7946 geometry (only with withGeometry=true)' })
  geometry?: Record<string, unknown>;
  @ApiProperty() updatedAt!: string;
}

export class RiskObjectDto extends RiskObjectSummaryDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'RFC 7946 geometry' }) declare geometry: Record<string, unknown>;
  @ApiProperty({ type: RiskHolderRefDto, nullable: true }) primaryHolder!: RiskHolderRefDto | null;
  @ApiProperty({ type: RiskHolderRefDto, nullable: true }) backupHolder!: RiskHolderRefDto | null;
  @ApiProperty({ type: [RiskShelterRefDto] }) shelters!: RiskShelterRefDto[];
  @ApiProperty({ type: [VulnerablePersonDto] }) vulnerablePeople!: VulnerablePersonDto[];
  @ApiProperty({ type: [IndicatorDto] }) indicators!: IndicatorDto[];
  @ApiProperty({ type: [StatusChangeDto], description: 'latest first, at most 20' }) statusHistory!: StatusChangeDto[];
  @ApiProperty() createdAt!: string;
}

export class RiskObjectPageDto {
  @ApiProperty({ type: [RiskObjectSummaryDto] }) items!: RiskObjectSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SetRiskStatusDto {
  @ApiProperty({ enum: RISK_STATUSES }) @IsIn(RISK_STATUSES) status!: RiskStatus;
  @ApiProperty({ example: '3小时雨量 85mm 超立即转移指标' }) @IsString() @Length(1, 200) reason!: string;
}

export class RiskStatusResultDto {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: RISK_STATUSES }) status!: RiskStatus;
  @ApiProperty({ enum: RISK_STATUSES }) previousStatus!: RiskStatus;
  @ApiProperty({ description: 'false when the object already had this status (nothing stamped)' }) changed!: boolean;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty() statusChangedAt!: string;
}
