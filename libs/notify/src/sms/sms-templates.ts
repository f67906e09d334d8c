import type { SmsConfig } from '@fangxun/config';

/** Fills `${param}` placeholders; a missing parameter becomes an empty string. */
export function renderTemplate(config: SmsConfig, template: string, params: Record<string, string>): string {
  const t = config.templates[template];
  if (!t) return '';
  return t.text.replace(/\$\{([^}]*)\}/g, (_m, p: string) => params[p] ?? '');
}

export function templateParams(config: SmsConfig, template: string): string[] {
  return config.templates[template]?.params ?? [];
}
