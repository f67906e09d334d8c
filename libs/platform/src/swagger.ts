import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { BODY_FORMS_EXTENSION } from './api-body-forms.decorator';
import { ErrorBodyDto } from './error-body';
import { MAX_PARAM_LENGTH, PATH_PARAM_PATTERNS } from './request-params';

/** OpenAPI UI at /api/docs, JSON at /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const doc = new DocumentBuilder()
    .setTitle('Fangxun 防汛 API')
    .setDescription(
      'Flood-season command and early-warning coordination. Every failure returns the ErrorBody shape. ' +
        'People authenticate with a bearer JWT from POST /api/v1/auth/login; machines send an API key in X-API-Key.',
    )
    .setVersion('1')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  const document = documentPathParams(SwaggerModule.createDocument(app, doc, { extraModels: [ErrorBodyDto] }));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/** Writes the patterns the validation pipe enforces on path parameters into the document (one source). */
function documentPathParams(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item as Record<string, OperationObject>)) {
      const forms = (op as unknown as Record<string, unknown>)?.[BODY_FORMS_EXTENSION] as Record<string, SchemaObject> | undefined;
      if (forms && op.requestBody && 'content' in op.requestBody) {
        for (const [type, schema] of Object.entries(forms)) op.requestBody.content[type] = { schema };
        delete (op as unknown as Record<string, unknown>)[BODY_FORMS_EXTENSION];
      }
      for (const p of (op?.parameters ?? []) as ParameterObject[]) {
        if (p.in !== 'path' && p.in !== 'query') continue;
        const schema = (p.schema ?? {}) as SchemaObject;
        if (schema.type === 'string' || schema.type === undefined)
          schema.maxLength = Math.min(schema.maxLength ?? MAX_PARAM_LENGTH, MAX_PARAM_LENGTH);
        const rule = p.in === 'path' ? PATH_PARAM_PATTERNS[p.name] : undefined;
        if (rule) schema.pattern = rule.pattern.source;
        p.schema = schema;
      }
    }
  }
  return document;
}
