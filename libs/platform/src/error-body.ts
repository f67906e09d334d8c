import { ApiProperty } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'mobile' }) field!: string;
  @ApiProperty({ example: 'not a Chinese mobile number' }) problem!: string;
}

/** The one error body of every failure, 4xx or 5xx. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code!: string;
  @ApiProperty({ example: 'mobile: not a Chinese mobile number' }) message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
  @ApiProperty({ example: '0b6f0f8e-5f7e-4bb4-9a49-8b1b0f1d1c2a' }) correlationId!: string;
}
