import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { SERVICE_CONFIG } from '@koppelstuk/service-kit';
import { subgraphUrls, type GatewayConfig } from '../config';

/** /health/live: this process. /health/ready and /health: every subgraph answers its own readiness check. */
@Controller('health')
export class GatewayHealthController {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: GatewayConfig) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get()
  check() {
    return this.ready();
  }

  @Get('ready')
  async ready() {
    const checks = await Promise.all(
      Object.entries(subgraphUrls(this.config)).map(async ([name, url]) => {
        const health = url.replace(/\/graphql\/?$/, '/health/ready');
        try {
          const response = await fetch(health, { signal: AbortSignal.timeout(2000) });
          return [name, { status: response.ok ? 'up' : 'down', httpStatus: response.status }] as const;
        } catch (error) {
          return [name, { status: 'down', message: (error as Error).message }] as const;
        }
      }),
    );
    const details = Object.fromEntries(checks);
    const status = checks.every(([, check]) => check.status === 'up') ? 'ok' : 'error';
    if (status !== 'ok') throw new HttpException({ status, details }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status, details };
  }
}
