import { Controller, Get, Inject, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { EventStore } from '@koppelstuk/event-store';
import { EVENT_STORE, PROJECTION_RUNNERS } from '../infrastructure/tokens';

/** What a projection runner reports; the runners themselves come from libs/projections. */
export interface ReportsStatus {
  status(): { name: string; state: string; positionsBehind: bigint | number | null; secondsBehind: number | null; failure: unknown };
}

/**
 * /health/live: the process runs. /health/ready (and /health): the database answers, the event store
 * answers, and no projection of this service has failed; projection lag is reported alongside.
 */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly modules: ModuleRef,
  ) {}

  /** The service's projection runners, if it has any (they live in the service's own module). */
  private projections(): ReportsStatus[] {
    try {
      return this.modules.get<ReportsStatus[]>(PROJECTION_RUNNERS, { strict: false });
    } catch {
      return [];
    }
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get()
  @HealthCheck()
  check() {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      async () => {
        const session = this.indicators.check('eventStore');
        try {
          await this.store.headPosition();
          return session.up();
        } catch (error) {
          return session.down({ message: (error as Error).message });
        }
      },
      ...this.projections().map((runner) => async () => {
        const status = runner.status();
        const session = this.indicators.check(`projection:${status.name}`);
        const details = { state: status.state, positionsBehind: Number(status.positionsBehind ?? 0), secondsBehind: status.secondsBehind };
        return status.state === 'failed' ? session.down({ ...details, failure: JSON.stringify(status.failure) }) : session.up(details);
      }),
    ]);
  }
}

@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [HealthController] })
export class HealthModule {}
