// Run with the tracing preload: prints whether spans record and whether the SDK was loaded at all.
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';

const recording = trace.getTracer('probe').startSpan('probe').isRecording();
const sdkLoaded = Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('@opentelemetry/sdk-node'));
console.log(JSON.stringify({ recording, sdkLoaded }));
