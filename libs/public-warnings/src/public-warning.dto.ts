import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PageQueryDto, toBool } from '@fangxun/platform';
import { CONTACT_CATEGORIES, CONTACT_FIELDS, type ContactCategory, type ContactField } from './public-contact-file';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

// ---- contacts ----

export class ImportContactsQuery {
  @ApiPropertyOptional({ default: false, description: 'check and count, write nothing' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  dryRun?: boolean;
}

export class ContactImportErrorDto {
  @ApiProperty({ example: 7, description: 'line (CSV) or row (XLSX) as the file shows it; the header is line 1' }) line!: number;
  @ApiProperty({ enum: CONTACT_FIELDS }) field!: ContactField;
  @ApiPropertyOptional({ example: '1391234' }) value?: string;
  @ApiProperty({ example: 'not a Chinese mobile number (11 digits starting 1, +86 optional)' }) problem!: string;
}

export class ContactImportReportDto {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ example: 'LH-SH-001' }) riskObjectCode!: string;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format!: 'csv' | 'xlsx';
  @ApiProperty({ enum: ['utf-8', 'gb18030', 'utf-16le'], description: 'how the text was decoded (GBK read as GB18030)' })
  encoding!: 'utf-8' | 'gb18030' | 'utf-16le';
  @ApiProperty({ example: 120, description: 'data rows in the file (blank rows not counted)' }) total!: number;
  @ApiProperty({ example: 100 }) inserted!: number;
  @ApiProperty({ example: 12, description: 'numbers already listed whose name, category or note changed' }) updated!: number;
  @ApiProperty({ example: 5, description: 'rows identical to what is stored: not written' }) unchanged!: number;
  @ApiProperty({ example: 3, description: 'rows not written; each has at least one entry in errors' }) rejected!: number;
  @ApiProperty({ type: [ContactImportErrorDto] }) errors!: ContactImportErrorDto[];
  @ApiProperty({ example: 0, description: 'errors beyond the first 1,000 are counted here, not listed' }) errorsOmitted!: number;
}

export class ListContactsQuery extends PageQueryDto {}

export class ContactDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '张三' }) name!: string;
  @ApiProperty({ example: '+86*******5678', description: 'masked: last four digits only' }) phone!: string;
  @ApiProperty({ enum: CONTACT_CATEGORIES }) category!: ContactCategory;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ContactPageDto {
  @ApiProperty({ type: [ContactDto] }) items!: ContactDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

// ---- campaigns ----

export class CreatePublicWarningDto {
  @ApiPropertyOptional({
    type: [String],
    maxItems: 5000,
    example: ['LH-SH-001'],
    description:
      'risk objects whose contact lists are texted (at most publicWarnings.maxRiskObjects); when absent, the objects ' +
      'inside the area of warningId (its drawn polygons, else its geocoded divisions), within the caller’s area',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @Matches(/^[0-9A-Za-z_-]{2,40}$/, { each: true, message: 'each code must be 2-40 letters, digits, _ or -' })
  riskObjectCodes?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the warning this message relays: kept as a link, and its area chooses the objects when riskObjectCodes is absent',
  })
  @IsOptional()
  @IsUUID()
  warningId?: string;

  @ApiPropertyOptional({ default: false, description: 'also text the helpers (帮扶人) of the objects’ vulnerable people' })
  @IsOptional()
  @IsBoolean()
  includeVulnerableHelpers?: boolean;

  @ApiPropertyOptional({ example: '临海市气象台暴雨红色预警', description: 'for the list; made from the parameters when absent' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  title?: string;

  @ApiProperty({ example: '临海市气象台' })
  @Transform(trim)
  @IsString()
  @Length(1, 30)
  issuer!: string;

  @ApiProperty({ example: '暴雨' })
  @Transform(trim)
  @IsString()
  @Length(1, 20)
  kind!: string;

  @ApiProperty({ example: '红色' })
  @Transform(trim)
  @IsString()
  @Length(1, 10)
  level!: string;

  @ApiProperty({ example: '未来3小时东塍镇降雨量将达100毫米以上' })
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  summary!: string;

  @ApiProperty({ example: 'rain-2026-07-21-01', description: 'the same key (per user) returns the first campaign and sends nothing more' })
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'letters, digits, . _ : - (1-100)' })
  requestKey!: string;
}

export class DeliveryCountsDto {
  @ApiProperty() queued!: number;
  @ApiProperty() sending!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty() undelivered!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ description: "the number's daily SMS cap was reached (ours, or a provider's per-number limit): phone them" })
  capped!: number;
}

export class PublicWarningDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: { issuer: '临海市气象台', kind: '暴雨', level: '红色', summary: '…' } }) params!: Record<string, string>;
  @ApiProperty({ type: [String] }) riskObjectCodes!: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) warningId!: string | null;
  @ApiProperty() includeVulnerableHelpers!: boolean;
  @ApiProperty({ example: 'duty' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'distinct numbers the campaign addressed' }) recipients!: number;
  @ApiProperty({ description: 'messages queued when the campaign was made' }) queued!: number;
  @ApiProperty({ description: 'numbers already texted under this campaign' }) duplicates!: number;
  @ApiProperty({ type: DeliveryCountsDto, description: 'now, as the SMS channel counts them' }) delivery!: DeliveryCountsDto;
}

export class CreatedPublicWarningDto extends PublicWarningDto {
  @ApiProperty({ description: 'true when the requestKey had been used: this is the first campaign, nothing new was sent' })
  replayed!: boolean;
}

export class PublicWarningPageDto {
  @ApiProperty({ type: [PublicWarningDto] }) items!: PublicWarningDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** Newest first; `order` is not used here. */
export class ListPublicWarningsQuery extends PageQueryDto {}
