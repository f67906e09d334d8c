import type { ErrorKind } from '@fangxun/common';

export const WakeupErrors = {
  CallNotFound: { code: 'CALL_NOT_FOUND', status: 404 },
  CampaignNotFound: { code: 'CAMPAIGN_NOT_FOUND', status: 404 },
  CampaignClosed: { code: 'CAMPAIGN_CLOSED', status: 409 },
  NotYourCall: { code: 'NOT_YOUR_CALL', status: 403 },
  LinkInvalid: { code: 'ACK_LINK_INVALID', status: 401 },
  LinkExpired: { code: 'ACK_LINK_EXPIRED', status: 410 },
  NoRecipients: { code: 'NO_RECIPIENTS', status: 422 },
} satisfies Record<string, ErrorKind>;
