import type { OperationFact } from './read-operations.js';

// What the binding needs to know about one operation to build its plan at start-up, worked out here from the
// spec so that the server reads it from generated/operations.ts instead of working it out or looking it up.

export const pathParameters = (op: OperationFact): string[] =>
  op.parameters.filter((p) => p.in === 'path').map((p) => p.name);

export const headerParameters = (op: OperationFact): string[] =>
  op.parameters.filter((p) => p.in === 'header').map((p) => p.name);

const takesHeader = (op: OperationFact, name: string) => headerParameters(op).includes(name);

/** A create that honours `Idempotency-Key`: run at most once per caller and key. */
export const isIdempotent = (op: OperationFact): boolean => takesHeader(op, 'Idempotency-Key');

/**
 * The media types a success carries: what Accept is weighed against (RFC 9110 §12.5.1). Errors are
 * problem+json whatever Accept says, and an operation whose success has no content never answers 406.
 */
export function answersWith(op: OperationFact): string[] {
  const types = op.responses.filter((r) => r.status < 300 && r.contentType !== null).map((r) => r.contentType);
  return [...new Set(types as string[])];
}

/**
 * The operation whose 200 is the representation an `If-Match` is compared against: the GET of the same path.
 * Named here once, so the server never searches for it.
 */
export function ifMatchReader(op: OperationFact, all: OperationFact[]): OperationFact | null {
  if (!takesHeader(op, 'If-Match')) return null;
  return all.find((other) => other.path === op.path && other.method === 'GET') ?? null;
}

/** The rules an If-Match or Idempotency-Key operation must meet for the binding to run it. */
export function checkPreconditionRules(op: OperationFact, all: OperationFact[]): string[] {
  const broken: string[] = [];
  if (takesHeader(op, 'If-Match')) {
    const reader = ifMatchReader(op, all);
    const tagged = reader?.responses.find((r) => r.status === 200)?.headers.some((h) => h.name === 'ETag');
    if (!tagged) broken.push(`${op.operationId} honours If-Match but no GET of ${op.path} answers 200 with an ETag`);
    if (isIdempotent(op)) broken.push(`${op.operationId}: the binding runs If-Match or Idempotency-Key, not both`);
  }
  return broken;
}

/** The doc comment of an operation in generated/operations.ts: what a reader of a handler needs at a glance. */
export function describeOperation(op: OperationFact, all: OperationFact[], indent: string): string {
  const schemes = op.security.map((requirement) => Object.keys(requirement).join(' + ') || 'none');
  const security = schemes.length === 0 || schemes.every((s) => s === 'none') ? 'none (public)' : schemes.join(' or ');
  const ownership = op.ownership
    ? `the ${op.ownership.of} named by ${op.ownership.from.in === 'path' ? 'path parameter' : 'body member'} ${op.ownership.from.name} (403 otherwise)`
    : 'none';
  const preconditions: string[] = [];
  const reader = ifMatchReader(op, all);
  if (reader) {
    preconditions.push(
      `If-Match against the ETag of ${reader.operationId}'s 200 (412 if stale; 428 without it when REQUIRE_IF_MATCH)`,
    );
  }
  if (takesHeader(op, 'If-None-Match')) preconditions.push('If-None-Match (304 when it holds the current ETag)');
  if (isIdempotent(op))
    preconditions.push('Idempotency-Key (runs once per caller and key; 409 while running, 422 on reuse)');
  const lines = [
    `${op.method} ${op.path}${op.summary ? `: ${op.summary}` : ''}`,
    `Security: ${security}. Ownership: ${ownership}.`,
    `Preconditions: ${preconditions.length > 0 ? preconditions.join('; ') : 'none'}.`,
  ];
  // A summary may hold `*/`, which would end the comment early.
  const safe = lines.map((line) => line.replaceAll('*/', '*\\/'));
  return [`${indent}/**`, ...safe.map((line) => `${indent} * ${line}`), `${indent} */`].join('\n');
}
