/**
 * Whether the tracing preload starts the OpenTelemetry SDK: when an OTLP endpoint or exporter is named, or
 * SWITCHBOARD_TRACING=on; OTEL_SDK_DISABLED=true turns it off whatever else is set. Read from the environment alone,
 * before anything heavy is loaded.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  if (env.SWITCHBOARD_TRACING?.trim().toLowerCase() === 'on') return true;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()) return true;
  return env.OTEL_TRACES_EXPORTER?.split(',').some((name) => name.trim() === 'otlp') ?? false;
}

/** The service name spans are reported under: `switchboard`, unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES names one. */
export function serviceNameOverride(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_SERVICE_NAME?.trim()) return undefined;
  if (/(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '')) return undefined;
  return 'switchboard';
}
