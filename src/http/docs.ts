import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { usePageHeaders } from './http-layer.js';
import type { LoadedSpec } from './openapi-spec.js';

/** Swagger UI at /docs, and the spec itself at /openapi.json and /openapi.yaml, all from the one openapi.yaml. */
export async function registerDocs(app: FastifyInstance, spec: LoadedSpec): Promise<void> {
  const json = JSON.stringify(spec.document);
  app.get('/openapi.json', (_request, reply) => reply.type('application/json').send(json));
  app.get('/openapi.yaml', (_request, reply) => reply.type('application/yaml').send(spec.yaml));
  await app.register(swagger, { mode: 'static', specification: { document: structuredClone(spec.document) as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: {
      deepLinking: true,
      docExpansion: 'list',
      displayRequestDuration: true,
      tryItOutEnabled: false,
      // The Authorize dialog's bearer token survives a reload of /docs.
      persistAuthorization: true,
      // Without the top bar: it shows the plugin's logo and a box to load some other document.
      layout: 'BaseLayout',
    },
    theme: { title: 'Stores API documentation' },
    uiHooks: {
      onRequest: (_request, reply, done) => {
        usePageHeaders(reply);
        done();
      },
    },
  });
}
