import type { components } from '../../generated/openapi.js';

export type Problem = components['schemas']['Problem'];
export type ValidationIssue = components['schemas']['ValidationIssue'];

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const types: Record<number, string> = {
  401: '/problems/unauthorized',
  403: '/problems/forbidden',
  429: '/problems/rate-limited',
  404: '/problems/not-found',
  406: '/problems/not-acceptable',
  405: '/problems/method-not-allowed',
  409: '/problems/conflict',
  413: '/problems/payload-too-large',
  415: '/problems/unsupported-media-type',
  422: '/problems/unprocessable',
  500: '/problems/internal',
  503: '/problems/unavailable',
};

/** Builds an RFC 9457 problem. The binding adds `instance` and `requestId` when it sends it. */
export function problem<S extends number>(status: S, detail: string, type?: string): { status: S; body: Problem } {
  return {
    status,
    body: {
      type: type ?? types[status] ?? 'about:blank',
      title: titles[status] ?? 'Error',
      status,
      detail,
    },
  };
}

export const notFound = (detail: string) => problem(404, detail);
export const forbidden = (detail: string) => problem(403, detail);
export const conflict = (detail: string) => problem(409, detail);
export const unprocessable = (detail: string) => problem(422, detail);
export const malformed = (detail: string) => problem(400, detail, '/problems/malformed-request');

/** The most issues one problem lists, as the Problem schema's `errors.maxItems` allows. */
const maxIssues = 100;

/** A 400 listing what failed; past `maxIssues`, the detail says how many there were in all. */
export function validationFailed(errors: ValidationIssue[], limit = maxIssues): { status: 400; body: Problem } {
  const count = errors.length === 1 ? '1 invalid value' : `${errors.length} invalid values`;
  const listed = errors.length > limit ? ` The first ${limit} are listed.` : '';
  const result = problem(400, `The request has ${count}.${listed}`, '/problems/validation-failed');
  return { status: 400, body: { ...result.body, errors: errors.slice(0, limit) } };
}
