import type { FailureClass, SendOutcome, SmsItem } from '../sms.types';

export interface ProviderOptions {
  /** seed.fakePhonePrefix: demo numbers this adapter refuses; null when its refuseFakeNumbers is false (a stand-in drill). */
  fakePrefix: string | null;
  now: () => Date;
  /** Renders a template to text (generic gateway and sandbox send text). */
  render: (template: string, params: Record<string, string>) => string;
  /** Template parameter names in order (Tencent's TemplateParamSet is positional). */
  paramOrder: (template: string) => string[];
}

/** Splits off the demo numbers: a real adapter refuses them without any request. */
export function refuseFake(items: SmsItem[], fakePrefix: string | null): [SendOutcome[], SmsItem[]] {
  if (!fakePrefix) return [[], items];
  const fake = items.filter((i) => i.to.startsWith(fakePrefix));
  return [
    failAll(fake, 'permanent', 'FAKE_NUMBER', `demo number (prefix ${fakePrefix}): only the sandbox may send to it`),
    items.filter((i) => !i.to.startsWith(fakePrefix)),
  ];
}

export function failAll(items: SmsItem[], failure: FailureClass, code: string, message: string): SendOutcome[] {
  return items.map((i) => ({ messageId: i.messageId, result: 'failed', failure, code, message }));
}
