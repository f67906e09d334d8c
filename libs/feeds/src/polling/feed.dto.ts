import { ApiProperty } from '@nestjs/swagger';

export class FeedCadenceDto {
  @ApiProperty({ example: '0 * * * *', description: 'node-cron, Beijing time' }) cron!: string;
  @ApiProperty({ type: String, nullable: true, example: '*/5 * * * *' }) cronFloodSeason!: string | null;
  @ApiProperty({ description: 'the clock is inside feeds.floodSeason' }) floodSeason!: boolean;
  @ApiProperty({ description: 'the expression in force now' }) active!: string;
}

export class FeedStateDto {
  @ApiProperty({ example: 'linhai-hydro' }) name!: string;
  @ApiProperty({ enum: ['hko-hourly-rainfall', 'cwb-rain-gauge', 'generic-json'] }) adapter!: string;
  @ApiProperty({ example: 'https://example.org/api/rain', description: 'without query string (it may carry a key)' })
  url!: string;
  @ApiProperty({ type: FeedCadenceDto }) cadence!: FeedCadenceDto;
  @ApiProperty({ type: String, nullable: true, description: 'next firing of the active cadence' }) nextRunAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'cursor: latest observed time accepted' })
  lastObservedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastSuccessAt!: string | null;
  @ApiProperty() consecutiveFailures!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'open feed_failing alert since' }) failingSince!: string | null;
  @ApiProperty({ description: 'a worker holds the feed right now' }) polling!: boolean;
}

export class FeedIngestErrorDto {
  @ApiProperty() index!: number;
  @ApiProperty() field!: string;
  @ApiProperty() problem!: string;
}

export class FeedIngestReportDto {
  @ApiProperty() accepted!: number;
  @ApiProperty() inserted!: number;
  @ApiProperty() corrected!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty() flagged!: number;
  @ApiProperty({ type: [FeedIngestErrorDto], description: 'first 50' }) errors!: FeedIngestErrorDto[];
}

export class FeedProblemDto {
  @ApiProperty({ example: 'hourlyRainfall[1].value' }) path!: string;
  @ApiProperty({ example: 'missing ("M")' }) problem!: string;
}

export class PollOutcomeDto {
  @ApiProperty() feed!: string;
  @ApiProperty({ enum: ['ok', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['schedule', 'manual'] }) trigger!: string;
  @ApiProperty({ description: 'HTTP requests (one per back-fill window)' }) requests!: number;
  @ApiProperty({ description: 'including retries' }) attempts!: number;
  @ApiProperty({ description: 'rows handed to ingest' }) handed!: number;
  @ApiProperty({ type: FeedIngestReportDto }) report!: FeedIngestReportDto;
  @ApiProperty({ description: 'payload rows the adapter skipped (missing values, sentinels)' }) skipped!: number;
  @ApiProperty({ type: [FeedProblemDto] }) skippedSamples!: FeedProblemDto[];
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, nullable: true }) observedUpTo!: string | null;
}
