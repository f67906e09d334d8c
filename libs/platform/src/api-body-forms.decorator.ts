import { ApiExtension } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const BODY_FORMS_EXTENSION = 'x-fangxun-body-forms';

/**
 * Declares a different body schema per content type (`@ApiBody` gives every type the same one):
 * e.g. CAP XML as a string and its JSON form as an object. setupOpenApi moves the map into the
 * operation's `requestBody.content`.
 */
export function ApiBodyForms(forms: Record<string, SchemaObject>): MethodDecorator {
  return ApiExtension(BODY_FORMS_EXTENSION, forms);
}
