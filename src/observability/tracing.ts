import { type Tracer, trace } from '@opentelemetry/api';

let tracer: Tracer | undefined;

/** The tracer while tracing is on, else undefined: then nothing traces, not even with no-op spans. */
export function activeTracer(): Tracer | undefined {
  return tracer;
}

type Env = Record<string, string | undefined>;

/**
 * Whether the standard OpenTelemetry variables ask for traces to be exported over OTLP: an OTLP endpoint is set
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp`, and
 * neither `OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none` turns it off. Nothing set: off.
 */
export function tracingRequested(env: Env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((e) => e.trim().toLowerCase());
  if (exporters.includes('otlp')) return true;
  if (exporters.some((e) => e !== '')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts tracing when the environment asks for it (see `tracingRequested`): spans go in batches over OTLP/HTTP
 * (JSON) to the endpoint the `OTEL_EXPORTER_OTLP_*` variables name; `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES` describe the service (`stores-api` by default), `OTEL_TRACES_SAMPLER` samples,
 * `OTEL_BSP_*` tune the batches. Registers the W3C Trace Context propagator and AsyncLocalStorage context, so a
 * request's database statements find its span. Returns the flush-and-stop for shutdown, or undefined when off.
 * The SDK and its exporter are loaded only then: about 20 MB of memory a process without tracing does not hold.
 */
export async function startTracing(env: Env = process.env): Promise<(() => Promise<void>) | undefined> {
  if (!tracingRequested(env)) return undefined;
  const [{ OTLPTraceExporter }, { detectResources, envDetector, resourceFromAttributes }, sdk] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  const { BatchSpanProcessor, NodeTracerProvider } = sdk;
  const resource = resourceFromAttributes({ 'service.name': 'stores-api' }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  tracer = trace.getTracer('stores-api');
  // At most 2 s at shutdown: an unreachable collector must not hold the exit up past SHUTDOWN_TIMEOUT.
  return async () => {
    tracer = undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
    });
    await Promise.race([provider.shutdown().catch(() => undefined), late]);
    clearTimeout(timer);
  };
}
