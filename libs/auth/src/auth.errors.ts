import { ErrorKind } from '@fangxun/common';

/** Error kinds of logging in, users and API keys (the generic 401/403 live in CommonErrors). */
export const AuthErrors = {
  /** Same code, message and timing for an unknown user, a wrong password and an inactive account. */
  InvalidCredentials: { code: 'INVALID_CREDENTIALS', status: 401 },
  UserNotFound: { code: 'USER_NOT_FOUND', status: 404 },
  UsernameTaken: { code: 'USERNAME_TAKEN', status: 409 },
  RoleDivisionMismatch: { code: 'ROLE_DIVISION_MISMATCH', status: 422 },
  /** An administrator may not lock themself out (deactivate or demote their own account). */
  SelfLockout: { code: 'SELF_LOCKOUT', status: 422 },
  ApiKeyNotFound: { code: 'API_KEY_NOT_FOUND', status: 404 },
} satisfies Record<string, ErrorKind>;
