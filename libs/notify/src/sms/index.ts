export { SmsModule, SmsJobsModule } from './sms.module';
export { SmsService } from './sms.service';
export type { EnqueueInput, EnqueueResult } from './sms.service';
export { SmsSender } from './sms-sender';
export type { SenderPass } from './sms-sender';
export { SmsProviders } from './sms-providers';
export type { SmsPurpose, SmsStatus, SmsProvider } from './sms.types';
export { maskPhone } from './sms.mapper';
export { percentEncode, aliyunSignature, aliyunStringToSign, tc3Authorization, bodySignature } from './providers/signing';
