import { type Handlers, type OperationId, operations } from '../../generated/operations.js';
import type { HandlerContext } from '../http/context.js';
import type { LoadedSpec } from '../http/openapi-spec.js';
import type { Principal } from '../http/principal.js';
import type { AnyReply } from '../http/send-reply.js';

type Declared = Record<number, { contentType: string | null; headers: readonly { name: string; owner: string }[] }>;

/** The origin the spec's examples are written for; the mock answers with its own origin instead. */
const exampleOrigin = 'http://localhost:3000';

/**
 * One handler per operation that answers from the spec alone: the operation's success status with the first
 * example of its body (openapi-backend's mock response), and the headers a handler owns taken from the spec too.
 * Requests reach these handlers only after the same routing, validation and security checks as the real API.
 */
export function mockHandlers(spec: LoadedSpec): Handlers<HandlerContext, Principal> {
  const entries = (Object.keys(operations) as OperationId[]).map((id) => [id, mockHandler(spec, id)] as const);
  // Every operation gets the same generic handler; what it sends is checked against the spec as it leaves.
  return Object.fromEntries(entries) as unknown as Handlers<HandlerContext, Principal>;
}

function mockHandler(spec: LoadedSpec, operationId: OperationId) {
  const operation = operations[operationId];
  const declared = operation.responses as Declared;
  const status = Math.min(
    ...Object.keys(declared)
      .map(Number)
      .filter((s) => s >= 200 && s < 300),
  );
  const response = declared[status];
  if (!response) throw new Error(`${operationId} declares no success status`);
  const { mock } = spec.backend.mockResponseForOperation(operationId, { code: status });
  const example = response.contentType === null ? undefined : JSON.stringify(mock);
  const headerExamples = exampleHeaders(spec, operationId, status);

  return async (_request: unknown, ctx: HandlerContext): Promise<AnyReply> => {
    const origin = new URL(ctx.url('/')).origin;
    const body = example === undefined ? undefined : JSON.parse(example.replaceAll(exampleOrigin, origin));
    const headers: Record<string, string> = {};
    for (const { name, owner } of response.headers) {
      if (owner !== 'handler') continue;
      // A created resource lives at its collection's path plus its id, as everywhere in this API.
      headers[name] = name === 'Location' ? ctx.url(`${operation.path}/${body.id}`) : String(headerExamples[name]);
    }
    return { status, headers, body };
  };
}

/** The first example of each header the response declares. */
function exampleHeaders(spec: LoadedSpec, operationId: string, status: number): Record<string, unknown> {
  const responses = spec.backend.getOperation(operationId)?.responses ?? {};
  const headers = (responses[status] as { headers?: Record<string, { schema?: { examples?: unknown[] } }> })?.headers;
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, h]) => [name, h.schema?.examples?.[0]]));
}
