import type { ValidateFunction } from 'ajv';
import type { OpenAPIBackend } from 'openapi-backend';
import { createAjv } from './ajv.js';
import { closedSchema } from './closed-schema.js';

export interface SentResponse {
  /** The operation that answered, or undefined for answers outside the spec's operations (404, 405, docs). */
  operationId: string | undefined;
  status: number;
  headers: Record<string, unknown>;
  payload: string | undefined;
}

/** A response header after dereferencing. */
interface HeaderObject {
  required?: boolean;
  schema?: object;
}

interface DeclaredResponse {
  contentType: string | null;
  validateBody: ValidateFunction | null;
  headers: Map<string, { required: boolean; validate: ValidateFunction }>;
}

/**
 * Headers any HTTP response may carry without the spec declaring them: message framing, content coding, CORS
 * (but `Access-Control-Allow-Origin`, which the spec declares on every response), and the security headers every
 * response gets. They belong to the HTTP layer, not to an operation's contract.
 */
const transportHeaders = new Set([
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'vary',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  // W3C Trace Context's answer to a traceparent, sent while tracing is on (src/observability/).
  'traceresponse',
]);

/**
 * Checks a response against openapi.yaml and lists every way it breaks the contract: a status the operation does
 * not declare, another media type, a body that fails its schema or has a member it does not declare
 * (closed-schema.ts; problem+json included, whose `status` must also equal the HTTP status), a required header
 * missing, or a header the spec does not declare. Answers outside the operations must be problem+json when they
 * are errors. openapi-backend's own response validation checks only `application/json` bodies and accepts
 * undeclared statuses, so this is compiled here from its definition: once per loaded spec, and shared by every
 * app built on it (the closed schemas' `unevaluatedProperties` makes the compile about 280 ms, and a test
 * process builds an app per test).
 */
export function compileResponseContract(backend: OpenAPIBackend): Check {
  let check = compiled.get(backend);
  if (!check) {
    check = compile(backend);
    compiled.set(backend, check);
  }
  return check;
}

type Check = (response: SentResponse) => string[];

const compiled = new WeakMap<OpenAPIBackend, Check>();

function compile(backend: OpenAPIBackend): Check {
  const ajv = createAjv();
  const headerAjv = createAjv({ coerceTypes: true });
  const byOperation = new Map<string, Map<number, DeclaredResponse>>();
  for (const operation of backend.getOperations()) {
    const declared = new Map<number, DeclaredResponse>();
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if ('$ref' in response) throw new Error(`${operation.operationId} ${status} was not dereferenced`);
      const [contentType, media] = Object.entries(response.content ?? {})[0] ?? [null, undefined];
      const headers = new Map<string, { required: boolean; validate: ValidateFunction }>();
      for (const [name, header] of Object.entries(response.headers ?? {}) as [string, HeaderObject][]) {
        headers.set(name.toLowerCase(), {
          required: header.required === true,
          validate: headerAjv.compile(header.schema ?? {}),
        });
      }
      const schema = (media as { schema?: object } | undefined)?.schema;
      const validateBody = schema ? ajv.compile(closedSchema(schema) as object) : null;
      declared.set(Number(status), { contentType, validateBody, headers });
    }
    byOperation.set(String(operation.operationId), declared);
  }
  const problemSchema = backend.definition.components?.schemas?.Problem;
  const validateProblem = ajv.compile(closedSchema(problemSchema ?? {}) as object);

  return (response) => {
    if (response.operationId === undefined) {
      if (response.status < 400) return [];
      return checkBody(response, 'application/problem+json', validateProblem);
    }
    const declared = byOperation.get(response.operationId)?.get(response.status);
    const name = `${response.operationId} ${response.status}`;
    if (!declared) return [`${response.operationId} does not declare status ${response.status}`];
    const broken = checkHeaders(name, response.headers, declared.headers);
    if (declared.contentType === null) {
      if (response.payload) broken.push(`${name} must have no body`);
      return broken;
    }
    return [...broken, ...checkBody(response, declared.contentType, declared.validateBody)];
  };
}

function checkHeaders(name: string, sent: Record<string, unknown>, declared: DeclaredResponse['headers']): string[] {
  const broken: string[] = [];
  for (const [header, value] of Object.entries(sent)) {
    const key = header.toLowerCase();
    if (transportHeaders.has(key)) continue;
    const rule = declared.get(key);
    if (!rule) broken.push(`${name} sends header ${header}, which the spec does not declare`);
    else if (!rule.validate(String(value))) broken.push(`${name} header ${header}: ${ajvText(rule.validate)}`);
  }
  for (const [header, rule] of declared) {
    if (rule.required && sent[header] === undefined) broken.push(`${name} lacks required header ${header}`);
  }
  return broken;
}

function checkBody(response: SentResponse, contentType: string, validate: ValidateFunction | null): string[] {
  const name = `${response.operationId ?? 'response'} ${response.status}`;
  const sentType = String(response.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim();
  if (sentType !== contentType) return [`${name} has Content-Type ${sentType || 'none'}, the spec says ${contentType}`];
  let body: unknown;
  try {
    body = JSON.parse(response.payload ?? '');
  } catch {
    return [`${name} body is not JSON`];
  }
  const broken: string[] = [];
  if (validate && !validate(body)) broken.push(`${name} body: ${ajvText(validate)}`);
  if (contentType === 'application/problem+json' && (body as { status?: unknown }).status !== response.status) {
    broken.push(`${name} problem body has status ${(body as { status?: unknown }).status}`);
  }
  return broken;
}

function ajvText(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .map((e) => {
      const member = e.params.unevaluatedProperty ?? e.params.additionalProperty;
      return `${e.instancePath || '/'} ${e.message}${member === undefined ? '' : `: ${member}`}`;
    })
    .join('; ');
}
