import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { MetricsExposition } from '../../api/metrics-route.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { EventFigures } from './event-figures.js';
import { requestTimer } from './http-figures.js';
import { registerProcessFigures, type ProcessSources } from './process-figures.js';
import { StoreFigures } from './store-figures.js';

export interface MetricsOptions extends ProcessSources {
  engine: RoutingEngine;
}

/**
 * Every Prometheus figure of one server, in a registry of its own (several servers may share a process): the
 * contact center's, counted from the events this process commits and read from the store's counters at each scrape,
 * this process's sockets and callbacks, its HTTP requests, and Node's process figures.
 */
export class SwitchboardMetrics implements MetricsExposition {
  readonly registry = new Registry();
  /** Times every request: mount it before any route. */
  readonly requestTimer: RequestHandler;
  private readonly unsubscribe: () => void;

  constructor(options: MetricsOptions) {
    collectDefaultMetrics({ register: this.registry });
    const events = new EventFigures(this.registry);
    this.unsubscribe = options.engine.onEvent((event) => events.observe(event));
    new StoreFigures(this.registry, options.engine);
    registerProcessFigures(this.registry, options);
    this.requestTimer = requestTimer(this.registry);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Stops counting events. */
  close(): void {
    this.unsubscribe();
  }
}
