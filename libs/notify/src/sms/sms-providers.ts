import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { AliyunSmsProvider } from './providers/aliyun.provider';
import { GenericSmsProvider } from './providers/generic.provider';
import type { ProviderOptions } from './providers/provider-common';
import { SandboxSmsProvider } from './providers/sandbox.provider';
import { TencentSmsProvider } from './providers/tencent.provider';
import type { SmsProvider } from './sms.types';
import { renderTemplate, templateParams } from './sms-templates';
import { TokenBucket } from './token-bucket';

/** The configured adapters by name, the failover chain, and each provider's rate limit. */
@Injectable()
export class SmsProviders {
  private readonly byName = new Map<string, SmsProvider>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const sms = config.sms;
    const common: ProviderOptions = {
      fakePrefix: config.seed.fakePhonePrefix,
      // Wall time, not the injectable Clock: signatures and provider time windows are about real time.
      now: () => new Date(),
      render: (t, p) => renderTemplate(sms, t, p),
      paramOrder: (t) => templateParams(sms, t),
    };
    for (const p of sms.providers) {
      // Real adapters refuse the seed's numbers unless this provider says otherwise (a stand-in drill).
      const opts = { ...common, fakePrefix: p.refuseFakeNumbers === false ? null : config.seed.fakePhonePrefix };
      const provider =
        p.kind === 'aliyun'
          ? new AliyunSmsProvider(p, opts)
          : p.kind === 'tencent'
            ? new TencentSmsProvider(p, opts)
            : p.kind === 'generic'
              ? new GenericSmsProvider(p, { ...opts, maxSkewSeconds: sms.callbackMaxSkewSeconds })
              : new SandboxSmsProvider(p, opts);
      this.byName.set(p.name, provider);
      this.buckets.set(p.name, new TokenBucket(p.ratePerSecond, p.burst));
    }
  }

  get(name: string): SmsProvider | undefined {
    return this.byName.get(name);
  }

  /** Enabled providers in failover order, primary first (drills use sms.drillChain when set). */
  chain(purpose?: string): SmsProvider[] {
    const names = purpose === 'drill' && this.config.sms.drillChain ? this.config.sms.drillChain : this.config.sms.chain;
    return names
      .filter((n) => this.config.sms.providers.find((p) => p.name === n)?.enabled)
      .map((n) => this.byName.get(n))
      .filter((p): p is SmsProvider => !!p);
  }

  /** Waits until `provider` may send `n` more messages. */
  throttle(provider: string, n: number): Promise<void> {
    return this.buckets.get(provider)?.take(n) ?? Promise.resolve();
  }
}
