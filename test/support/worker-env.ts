import { runDatabaseName, testDatabaseUrl, withDatabase } from './test-db';

// Runs in every test file before anything is imported: the app under test reads these.
const baseUrl = testDatabaseUrl();
const runId = process.env.FANGXUN_TEST_RUN;
if (!runId) throw new Error('FANGXUN_TEST_RUN is not set: run the tests through jest (global setup makes the databases)');
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = withDatabase(baseUrl, runDatabaseName(baseUrl, runId, process.env.JEST_WORKER_ID ?? '1'));
process.env.JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
