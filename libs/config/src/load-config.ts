import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppConfig, configSchema } from './config.schema';
import { ENV_MAP } from './env-map';
import { applySmsEnv, envValue } from './sms-env';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Tree = Record<string, unknown>;

/** Finds the repository's `config/` folder from any working directory. */
export function configDir(): string {
  const candidates = [process.env.FANGXUN_CONFIG_DIR, join(process.cwd(), 'config'), resolve(__dirname, '../../../config')];
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'default.yaml'))) return dir;
  }
  throw new ConfigError(['config/default.yaml not found (set FANGXUN_CONFIG_DIR)']);
}

function readYaml(file: string): Tree {
  const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
  return parsed && typeof parsed === 'object' ? (parsed as Tree) : {};
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Tree, v as Tree)
        : v;
  }
  return out;
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    if (!node[part] || typeof node[part] !== 'object') node[part] = {};
    node = node[part] as Tree;
  }
  node[parts[parts.length - 1]] = value;
}

function coerce(name: string, raw: string, type: 'string' | 'number' | 'boolean', problems: string[]): unknown {
  if (type === 'string') return raw;
  if (type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) problems.push(`${name}: "${raw}" is not a number`);
    return n;
  }
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name}: "${raw}" is not a boolean (true/false)`);
  return raw;
}

/**
 * Reads config/default.yaml, then config/<env>.yaml if present, then the environment
 * variables of ENV_MAP and the SMS provider variables (sms-env.ts), each also as `<NAME>_FILE`,
 * and validates the result. Every problem is reported at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dir = configDir();
  const problems: string[] = [];
  let tree = readYaml(join(dir, 'default.yaml'));
  const envName = env.NODE_ENV ?? (tree.env as string | undefined) ?? 'development';
  const envFile = join(dir, `${envName}.yaml`);
  if (existsSync(envFile)) tree = deepMerge(tree, readYaml(envFile));
  for (const [name, binding] of Object.entries(ENV_MAP)) {
    const raw = envValue(env, name, problems); // NAME, or the file NAME_FILE names
    if (raw !== undefined) setPath(tree, binding.key, coerce(name, raw, binding.type, problems));
  }
  const smsOrigin = applySmsEnv(tree, env, problems);
  const result = configSchema.safeParse(tree);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || '(root)';
      const envName = Object.entries(ENV_MAP).find(([, b]) => b.key === key)?.[0] ?? smsOrigin.get(key);
      problems.push(`${key}${envName ? ` (${envName})` : ''}: ${issue.message}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  const config = result.data as AppConfig;
  if (config.env === 'production' && config.seed.demoPassword) {
    throw new ConfigError(['seed.demoPassword (SEED_DEMO_PASSWORD): must not be set in production']);
  }
  // The seed's numbers (+86199000…) are real numbers of real people: no production provider may text them.
  const unsafe = config.sms.providers.findIndex((p) => p.kind !== 'sandbox' && p.refuseFakeNumbers === false);
  if (config.env === 'production' && unsafe >= 0) {
    throw new ConfigError([`sms.providers.${unsafe}.refuseFakeNumbers: must not be false in production`]);
  }
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
