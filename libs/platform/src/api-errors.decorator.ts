import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` names each bad field',
  401: 'Not authenticated',
  403: 'Role not allowed, or outside your area',
  404: 'Not found',
  409: 'Conflicts with existing data',
  413: 'Body or file too large',
  415: 'Unsupported content type',
  422: 'Valid input that breaks a registry rule',
  429: 'Too many requests',
};

/** Documents the error responses of a route; 401, 403 and 500 are implied for every guarded route. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([...statuses, 401, 403])].sort();
  return applyDecorators(
    ...all.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorBodyDto })),
    ApiResponse({ status: 500, description: 'Internal error (no internals disclosed)', type: ErrorBodyDto }),
  );
}
