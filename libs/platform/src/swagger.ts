import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body';

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
  const document = SwaggerModule.createDocument(app, doc, { extraModels: [ErrorBodyDto] });
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
