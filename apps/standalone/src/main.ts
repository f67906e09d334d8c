import { createHttpApp, printUrls } from '@fangxun/platform';
import { StandaloneModule } from './standalone.module';

async function main(): Promise<void> {
  process.env.FANGXUN_PROCESS ??= 'standalone';
  const app = await createHttpApp(StandaloneModule);
  await printUrls(app);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
