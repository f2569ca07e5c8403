import type { ErrorObject, ValidateFunction } from 'ajv';
import type { OpenAPIBackend } from 'openapi-backend';
import { createAjv } from './ajv.js';
import type { ValidationIssue } from './problem.js';

/** A request as the validators see it. Validation coerces `path` and `query` in place and fills in defaults. */
export interface RequestInput {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  requestBody?: unknown;
}

export type RequestValidator = (input: RequestInput) => ValidationIssue[];

/** Compiles the bodies openapi-backend leaves out; one instance, made when the first one is needed. */
let bodyAjv: ReturnType<typeof createAjv> | undefined;

/**
 * Every check for one operation, compiled once, on its first request: compiling them all would hold start-up
 * for about a second, most of it for operations a process may never serve. Parameters (path, query, header) and
 * `application/json` bodies use openapi-backend's validators; it skips every other body media type (such as
 * `application/merge-patch+json`), so those bodies get a validator compiled here with the same Ajv settings.
 * Calling the compiled functions directly also skips openapi-backend's per-request routing and parsing: Fastify
 * has already matched the route and parsed the request.
 */
export function requestValidator(backend: OpenAPIBackend, operationId: string): RequestValidator {
  let validators: ValidateFunction[] | undefined;
  return (input) => {
    validators ??= compileValidators(backend, operationId);
    const issues: ValidationIssue[] = [];
    for (const check of validators) {
      if (!check(input)) issues.push(...(check.errors ?? []).map(toIssue));
    }
    return issues.length > 1 ? dedupe(issues) : issues;
  };
}

function compileValidators(backend: OpenAPIBackend, operationId: string): ValidateFunction[] {
  const validators: ValidateFunction[] = [...(backend.validator.getRequestValidatorsForOperation(operationId) ?? [])];
  const operation = backend.getOperation(operationId);
  const body = operation?.requestBody;
  if (body && !('$ref' in body) && !body.content['application/json']) {
    const [mediaType] = Object.values(body.content);
    bodyAjv ??= createAjv();
    validators.push(
      bodyAjv.compile({
        type: 'object',
        properties: { requestBody: mediaType?.schema ?? {} },
        required: body.required ? ['requestBody'] : [],
      }),
    );
  }
  return validators;
}

/** The longest pointer the Problem schema allows. */
const maxPointer = 1024;

const locations: Record<string, ValidationIssue['location']> = {
  path: 'path',
  query: 'query',
  header: 'header',
  requestBody: 'body',
};

/** Turns an Ajv error on the wrapper object (`/query/limit`, `/requestBody/name`) into a located JSON pointer. */
export function toIssue(error: ErrorObject): ValidationIssue {
  const [, top = '', ...rest] = error.instancePath.split('/');
  let pointer = rest.length > 0 ? `/${rest.join('/')}` : '';
  let location = locations[top];
  let detail = describe(error);
  if (location === undefined) {
    // An error on the wrapper itself: a required part of the request is missing.
    const missing = String(error.params.missingProperty ?? '');
    location = locations[missing] ?? 'body';
    return { location, pointer: '', detail: missing === 'requestBody' ? 'a request body is required' : detail };
  }
  if (error.keyword === 'required') {
    pointer += `/${escapePointer(String(error.params.missingProperty))}`;
    detail = location === 'body' ? 'is required' : 'is a required parameter';
  } else if (error.keyword === 'additionalProperties') {
    pointer += `/${escapePointer(String(error.params.additionalProperty))}`;
    detail = location === 'body' ? 'is not a member this schema allows' : 'is not a parameter of this operation';
  }
  return {
    location,
    pointer: pointer.length > maxPointer ? `${pointer.slice(0, maxPointer - 3)}...` : pointer,
    detail,
  };
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'enum') {
    return `must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
  }
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  if (error.keyword === 'pattern' && typeof description === 'string') {
    return `does not have the expected form. ${description.trim()}`;
  }
  return error.message ?? `fails the ${error.keyword} rule`;
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.location} ${i.pointer} ${i.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
