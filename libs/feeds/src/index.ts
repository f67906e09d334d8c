export * from './feeds.module';
export { ReadingIngestService } from './readings/reading-ingest.service';
export type { IngestError, IngestReport, RawReading, ReadingQuality } from './readings/reading.types';
