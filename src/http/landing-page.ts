import type { FastifyInstance } from 'fastify';
import { usePageHeaders } from './http-layer.js';
import type { LoadedSpec } from './openapi-spec.js';

/** A small page at `/` for a person who opens the API in a browser: what it is and where to go next. */
export function registerLandingPage(app: FastifyInstance, spec: LoadedSpec): void {
  const info = spec.document.info as { title: string; version: string; summary?: string };
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
  a { color: #0b5cad; } code { background: #f3f3f3; padding: 0 .25rem; }
</style>
</head>
<body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.summary ?? '')}</p>
<ul>
  <li><a href="/docs">Interactive documentation</a>: try every operation in the browser.</li>
  <li>The OpenAPI document: <a href="/openapi.json">/openapi.json</a> or <a href="/openapi.yaml">/openapi.yaml</a>,
    to generate a client in your language.</li>
  <li>Health: <a href="/healthz">/healthz</a> (the process answers) and <a href="/readyz">/readyz</a>
    (ready to serve).</li>
</ul>
<p>Start with <code>GET <a href="/stores?include=items">/stores?include=items</a></code>.</p>
</body>
</html>
`;
  app.get('/', (_request, reply) => {
    usePageHeaders(reply);
    return reply.type('text/html; charset=utf-8').send(page);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
