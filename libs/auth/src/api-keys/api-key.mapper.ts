import type { ApiKeyDto } from './api-key.dto';
import type { ApiKeyRow } from './api-keys.repository';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Never the hash: it is not even selected outside authentication. */
export function toApiKeyDto(k: ApiKeyRow): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: `fx_${k.keyPrefix}`,
    scopes: k.scopes,
    createdBy: k.createdBy,
    createdAt: new Date(k.createdAt).toISOString(),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    lastUsedAt: iso(k.lastUsedAt),
  };
}
