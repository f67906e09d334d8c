import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';

export class ChecklistItemDto {
  @ApiProperty() text!: string;
  @ApiProperty() done!: boolean;
  @ApiProperty({ nullable: true, type: String }) doneAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) doneBy!: string | null;
}

export class StepNoteDto {
  @ApiProperty() at!: string;
  @ApiProperty() by!: string;
  @ApiProperty() text!: string;
}

export class StepDto {
  @ApiProperty() seq!: number;
  @ApiProperty({ example: 'consultation' }) code!: string;
  @ApiProperty({ example: '会商研判' }) name!: string;
  @ApiProperty({ description: 'code of the group that owns the step' }) ownerGroup!: string;
  @ApiProperty({ nullable: true, type: String, description: 'the special plan that added it' }) planCode!: string | null;
  @ApiProperty({ type: [ChecklistItemDto] }) checklist!: ChecklistItemDto[];
  @ApiProperty({ enum: ['pending', 'started', 'done', 'skipped'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) doneAt!: string | null;
  @ApiProperty({ type: [StepNoteDto] }) notes!: StepNoteDto[];
  @ApiProperty({ nullable: true, type: String }) updatedBy!: string | null;
}

export class ChecklistChangeDto {
  @ApiProperty({ description: 'position in the checklist, from 0' }) @Type(() => Number) @IsInt() @Min(0) @Max(19) index!: number;
  @ApiProperty() @IsBoolean() done!: boolean;
}

export class UpdateStepDto {
  @ApiPropertyOptional({ enum: ['started', 'done', 'skipped'], description: 'pending → started → done; skipped or done is final' })
  @IsOptional()
  @IsIn(['started', 'done', 'skipped'])
  status?: 'started' | 'done' | 'skipped';
  @ApiPropertyOptional({ description: 'appended to the notes with who and when' }) @IsOptional() @IsString() @Length(1, 1000) note?: string;
  @ApiPropertyOptional({ type: [ChecklistChangeDto], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChecklistChangeDto)
  checklist?: ChecklistChangeDto[];
}
