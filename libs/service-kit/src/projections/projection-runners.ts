import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStore } from '@koppelstuk/event-store';
import { ProjectionRunner, type ProjectionDefinition, type ProjectionLogger } from '@koppelstuk/projections';
import type { BaseConfig } from '../config/service-config';
import { EVENT_STORE, PROJECTION_RUNNERS, SERVICE_CONFIG } from '../infrastructure/tokens';

/** The projections of one service, started with it and stopped with it; health reports their state. */
@Injectable()
export class ProjectionRunners implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly byName = new Map<string, ProjectionRunner>();

  constructor(
    @Inject(PROJECTION_RUNNERS) runners: ProjectionRunner[],
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
  ) {
    for (const runner of runners) this.byName.set(runner.status().name, runner);
  }

  get(name: string): ProjectionRunner {
    const runner = this.byName.get(name);
    if (!runner) throw new Error(`No projection named ${name} in this service`);
    return runner;
  }

  all(): ProjectionRunner[] {
    return [...this.byName.values()];
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PROJECTIONS_ENABLED) return;
    await Promise.all(this.all().map((runner) => runner.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((runner) => runner.stop()));
  }
}

function nestLogger(name: string): ProjectionLogger {
  const logger = new Logger(`projection:${name}`);
  const line = (message: string, details?: Record<string, unknown>) => (details ? `${message} ${JSON.stringify(details, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}` : message);
  return {
    info: (message, details) => logger.log(line(message, details)),
    warn: (message, details) => logger.warn(line(message, details)),
    error: (message, details) => logger.error(line(message, details)),
  };
}

/** Providers for a service's projections: one runner each on the service's event store and database. */
export function projectionProviders(...definitions: ProjectionDefinition[]): Provider[] {
  return [
    {
      provide: PROJECTION_RUNNERS,
      inject: [EVENT_STORE, DataSource],
      useFactory: (store: EventStore, dataSource: DataSource) =>
        definitions.map((projection) => new ProjectionRunner({ store, dataSource, projection, logger: nestLogger(projection.name) })),
    },
    ProjectionRunners,
  ];
}
