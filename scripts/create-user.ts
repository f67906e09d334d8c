/**
 * Creates one login from the command line, e.g. the first commander of a fresh install:
 *
 *   FANGXUN_NEW_PASSWORD=... npm run user:create -- --username zhang --role commander --division 331082 --name 张三
 *   npm run user:create -- --username zhang --role commander --division 331082 --name 张三 < password.txt
 *
 * The password comes from FANGXUN_NEW_PASSWORD or stdin (prompted without echo on a
 * terminal), never from an argument: arguments end up in shell history and `ps`.
 * Exit codes: 0 created, 1 refused or failed, 2 bad usage.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AuthModule, CreateUserDto, UsersService } from '@fangxun/auth';
import { AppError } from '@fangxun/common';
import { ConfigModule } from '@fangxun/config';
import { DatabaseModule } from '@fangxun/database';
import { flattenValidationErrors, prepareDatabase } from '@fangxun/platform';

const USAGE = 'usage: npm run user:create -- --username <name> --role <role> --division <code> --name <display name>';

@Module({ imports: [ConfigModule.forRoot(), DatabaseModule, AuthModule] })
class CreateUserCliModule {}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.FANGXUN_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  process.stderr.write('Password: ');
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

async function main(): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: { username: { type: 'string' }, role: { type: 'string' }, division: { type: 'string' }, name: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const dto = plainToInstance(CreateUserDto, {
    username: values.username,
    role: values.role,
    divisionCode: values.division,
    displayName: values.name,
    password: await readPassword(),
  });
  const problems = flattenValidationErrors(await validate(dto, { forbidUnknownValues: true }));
  if (problems.length) {
    for (const p of problems) console.error(`${p.field}: ${p.problem}`);
    console.error(USAGE);
    return 2;
  }

  const app = await NestFactory.createApplicationContext(CreateUserCliModule, { logger: ['error', 'warn'] });
  try {
    await prepareDatabase(app);
    const user = await app.get(UsersService).createUser(null, dto);
    console.log(JSON.stringify(user, null, 2));
    return 0;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(`${err.code}: ${err.message}`);
    for (const d of err.details) console.error(`  ${d.field}: ${d.problem}`);
    return 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
