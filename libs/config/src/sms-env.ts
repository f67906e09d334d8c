import { readFileSync } from 'node:fs';

/**
 * SMS provider settings from the environment, so that no key, secret, sign name, template code,
 * callback token or endpoint has to live in a file of the repository. For a provider named
 * `aliyun` the variables are `SMS_ALIYUN_<FIELD>` (the name upper-cased, `-` → `_`); they
 * override that provider's keys in config/*.yaml, or declare it when its name is listed in
 * `SMS_PROVIDERS` (then `SMS_<NAME>_KIND` is needed). Every variable may instead be given as
 * `<VARIABLE>_FILE`, a path whose content is the value (container secrets).
 * `.env.example` lists every field for the example providers (a test keeps them in step).
 */
export type ProviderKind = 'aliyun' | 'tencent' | 'generic' | 'sandbox';

export interface SmsProviderEnvField {
  key: string;
  type: 'string' | 'number' | 'boolean' | 'templates';
  kinds: ProviderKind[];
  doc: string;
}

const REAL: ProviderKind[] = ['aliyun', 'tencent', 'generic'];
const ALL: ProviderKind[] = [...REAL, 'sandbox'];

export const SMS_PROVIDER_ENV: Record<string, SmsProviderEnvField> = {
  KIND: { key: 'kind', type: 'string', kinds: ALL, doc: 'aliyun | tencent | generic | sandbox (for a provider named in SMS_PROVIDERS)' },
  ENABLED: { key: 'enabled', type: 'boolean', kinds: ALL, doc: 'false takes it out of the chain' },
  ENDPOINT: { key: 'endpoint', type: 'string', kinds: REAL, doc: 'API endpoint URL' },
  ACCESS_KEY_ID: { key: 'accessKeyId', type: 'string', kinds: ['aliyun'], doc: 'AccessKey ID' },
  ACCESS_KEY_SECRET: { key: 'accessKeySecret', type: 'string', kinds: ['aliyun'], doc: 'AccessKey secret' },
  SECRET_ID: { key: 'secretId', type: 'string', kinds: ['tencent'], doc: 'SecretId' },
  SECRET_KEY: { key: 'secretKey', type: 'string', kinds: ['tencent'], doc: 'SecretKey' },
  REGION: { key: 'region', type: 'string', kinds: ['tencent'], doc: 'region, e.g. ap-guangzhou' },
  SDK_APP_ID: { key: 'smsSdkAppId', type: 'string', kinds: ['tencent'], doc: 'SmsSdkAppId' },
  SIGN_NAME: { key: 'signName', type: 'string', kinds: ['aliyun', 'tencent'], doc: 'approved signature (签名)' },
  TEMPLATES: {
    key: 'templates',
    type: 'templates',
    kinds: ['aliyun', 'tencent'],
    doc: 'our template → approved code: rainstorm=SMS_1,wakeup_order=SMS_6 (or a JSON object)',
  },
  REQUEST_SECRET: { key: 'requestSecret', type: 'string', kinds: ['generic'], doc: 'HMAC key of our requests (≥ 16 chars)' },
  CALLBACK_SECRET: { key: 'callbackSecret', type: 'string', kinds: ALL, doc: 'token / HMAC key of its pushes to us (≥ 16 chars)' },
  TIMEOUT_MS: { key: 'timeoutMs', type: 'number', kinds: ALL, doc: 'request timeout, ms' },
  RATE_PER_SECOND: { key: 'ratePerSecond', type: 'number', kinds: ALL, doc: 'messages per second per worker' },
  BURST: { key: 'burst', type: 'number', kinds: ALL, doc: 'token-bucket burst' },
  DAILY_CAP_PER_NUMBER: { key: 'dailyCapPerNumber', type: 'number', kinds: ALL, doc: "the provider's own per-number daily limit" },
  REFUSE_FAKE_NUMBERS: {
    key: 'refuseFakeNumbers',
    type: 'boolean',
    kinds: REAL,
    doc: 'refuse seed.fakePhonePrefix numbers (default true; false only against a stand-in, refused in production)',
  },
};

/** Chain settings, and the list of providers declared from the environment. */
export const SMS_ENV_LISTS: Record<string, { key: 'chain' | 'drillChain' | 'providers'; doc: string }> = {
  SMS_PROVIDERS: { key: 'providers', doc: 'providers declared (or overridden) from the environment, e.g. aliyun,tencent' },
  SMS_CHAIN: { key: 'chain', doc: 'failover order, primary first, e.g. aliyun,tencent' },
  SMS_DRILL_CHAIN: { key: 'drillChain', doc: 'chain for drill messages, e.g. sandbox' },
};

/** `NAME`'s value, or the content of the file `NAME_FILE` names (one trailing newline dropped). */
export function envValue(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw !== undefined && raw !== '') return raw;
  const file = env[`${name}_FILE`];
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

export function providerEnvPrefix(name: string): string {
  return `SMS_${name.toUpperCase().replace(/-/g, '_')}_`;
}

type Tree = Record<string, unknown>;

/**
 * Applies the SMS variables to the configuration tree (before validation). Returns the
 * variable behind each key it set (`sms.providers.1.accessKeySecret` → SMS_ALIYUN_ACCESS_KEY_SECRET),
 * so that a bad value is reported with its variable.
 */
export function applySmsEnv(tree: Tree, env: NodeJS.ProcessEnv, problems: string[]): Map<string, string> {
  const origin = new Map<string, string>();
  const sms = (tree.sms && typeof tree.sms === 'object' ? tree.sms : (tree.sms = {})) as Tree;
  const providers = (Array.isArray(sms.providers) ? sms.providers : (sms.providers = [])) as Tree[];
  const list = (name: string): string[] | undefined =>
    envValue(env, name, problems)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const declared = list('SMS_PROVIDERS') ?? [];
  for (const name of declared) if (!providers.some((p) => p.name === name)) providers.push({ name });
  providers.forEach((p, i) => {
    if (typeof p.name !== 'string') return;
    const prefix = providerEnvPrefix(p.name);
    for (const [field, spec] of Object.entries(SMS_PROVIDER_ENV)) {
      const variable = `${prefix}${field}`;
      const raw = envValue(env, variable, problems);
      if (raw === undefined) continue;
      const value = coerceField(variable, raw, spec.type, problems);
      if (value === undefined) continue;
      p[spec.key] = value;
      origin.set(`sms.providers.${i}.${spec.key}`, variable);
    }
  });
  for (const [variable, spec] of Object.entries(SMS_ENV_LISTS)) {
    if (spec.key === 'providers') continue;
    const names = list(variable);
    if (!names) continue;
    sms[spec.key] = names;
    origin.set(`sms.${spec.key}`, variable);
  }
  return origin;
}

function coerceField(variable: string, raw: string, type: SmsProviderEnvField['type'], problems: string[]): unknown {
  if (type === 'string') return raw;
  if (type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) problems.push(`${variable}: "${raw}" is not a number`);
    return n;
  }
  if (type === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${variable}: "${raw}" is not a boolean (true/false)`);
    return undefined;
  }
  return parseTemplates(variable, raw, problems);
}

/** `a=SMS_1,b=SMS_2` or `{"a":"SMS_1"}`. */
function parseTemplates(variable: string, raw: string, problems: string[]): Record<string, string> | undefined {
  const text = raw.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string'))
        return parsed as Record<string, string>;
    } catch {
      /* reported below */
    }
    problems.push(`${variable}: not a JSON object of strings`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const pair of text.split(',').filter((s) => s.trim())) {
    const m = /^\s*([a-z][a-z0-9_]*)\s*=\s*(\S+)\s*$/.exec(pair);
    if (!m) {
      problems.push(`${variable}: "${pair}" is not template=code`);
      return undefined;
    }
    out[m[1]] = m[2];
  }
  return out;
}
