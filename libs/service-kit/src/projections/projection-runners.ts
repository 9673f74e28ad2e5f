import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStore } from '@koppelstuk/event-store';
import { ProjectionRunner, readCheckpoint, type ProjectionDefinition, type ProjectionLogger } from '@koppelstuk/projections';
import type { BaseConfig } from '../config/service-config';
import { EVENT_STORE, PROJECTION_RUNNERS, SERVICE_CONFIG } from '../infrastructure/tokens';

/** What admins see of a projection (the GraphQL ProjectionStatus type). */
export interface ProjectionReport {
  readonly name: string;
  readonly state: string;
  readonly eventsApplied: number;
  readonly positionsBehind: string;
  readonly secondsBehind: number | null;
  readonly failure: string | null;
}

/** The projections of one service, started with it and stopped with it; health reports their state. */
@Injectable()
export class ProjectionRunners implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly byName = new Map<string, ProjectionRunner>();

  constructor(
    @Inject(PROJECTION_RUNNERS) runners: ProjectionRunner[],
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
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

  /**
   * A projection's state and lag. When this process does not run its projections (an API replica at
   * scale), they come from the checkpoint the active projector keeps in the database.
   */
  async report(name: string): Promise<ProjectionReport> {
    const runner = this.get(name);
    if (this.config.PROJECTIONS_ENABLED) {
      const status = runner.status();
      return {
        name,
        state: status.state,
        eventsApplied: status.eventsApplied,
        positionsBehind: status.positionsBehind.toString(),
        secondsBehind: status.secondsBehind,
        failure: status.failure ? `${status.failure.message}${status.failure.eventId ? ` (event ${status.failure.eventId})` : ''}` : null,
      };
    }
    const [checkpoint, head] = await Promise.all([readCheckpoint(this.dataSource, name), this.store.headPosition()]);
    const behind = head && checkpoint?.position ? head.prepare - checkpoint.position.prepare : head ? head.prepare : 0n;
    const caughtUp = behind <= 0n;
    return {
      name,
      state: checkpoint?.status === 'failed' ? 'failed' : 'running in another process',
      eventsApplied: checkpoint?.eventsApplied ?? 0,
      positionsBehind: (behind > 0n ? behind : 0n).toString(),
      secondsBehind: caughtUp ? 0 : checkpoint?.lastEventRecordedAt ? (Date.now() - checkpoint.lastEventRecordedAt.getTime()) / 1000 : null,
      failure: checkpoint?.failure ? `${checkpoint.failure}${checkpoint.failedEventId ? ` (event ${checkpoint.failedEventId})` : ''}` : null,
    };
  }

  reports(): Promise<ProjectionReport[]> {
    return Promise.all([...this.byName.keys()].map((name) => this.report(name)));
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
