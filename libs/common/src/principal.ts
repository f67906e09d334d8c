/** Roles of people who log in. Their powers are listed in README § Roles. */
export const ROLES = ['commander', 'duty_officer', 'town_admin', 'village_admin', 'warden', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that see and act on the whole city; the others are held to their division's subtree. */
export const CITY_WIDE_ROLES: readonly Role[] = ['commander', 'duty_officer', 'auditor'];
/** Roles that may change the registry (inside their scope). */
export const REGISTRY_WRITERS: readonly Role[] = ['commander', 'duty_officer', 'town_admin', 'village_admin'];
export const ALL_ROLES: readonly Role[] = ROLES;

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  username: string;
  role: Role;
  divisionId: string;
  divisionCode: string;
  /** ltree path of the user's division, e.g. `331082.331082001`. */
  divisionPath: string;
}

export interface ApiKeyPrincipal {
  kind: 'api_key';
  keyId: string;
  name: string;
  scopes: string[];
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** Scopes an API key can carry; each route that machines call names the one it needs. */
export const API_KEY_SCOPES = ['feeds:write', 'feeds:read', 'sms:callback', 'registry:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
