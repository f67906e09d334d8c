/**
 * Local stand-ins for the SMS providers (Aliyun Dysmsapi, Tencent Cloud SMS, the generic
 * gateway), built from the formats in test/fixtures/sms. Tests, drills and bench/notify start
 * them on 127.0.0.1:0. Each verifies request signatures like the provider, answers in the
 * provider's shapes, has modes (ok / 500 / timeout / throttle), records what it "sent", and
 * can push receipts and replies (valid or forged) to our webhooks.
 */
export * from './standin-base';
export * from './aliyun.standin';
export * from './tencent.standin';
export * from './generic.standin';
