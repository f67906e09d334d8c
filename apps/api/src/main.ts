import { createHttpApp, printUrls } from '@fangxun/platform';
import { ApiModule } from './api.module';

async function main(): Promise<void> {
  process.env.FANGXUN_PROCESS ??= 'api';
  const app = await createHttpApp(ApiModule);
  await printUrls(app);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
