import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule, loggingModule, SERVICE_CONFIG } from '@koppelstuk/service-kit';
import type { GatewayConfig } from './config';
import { GatewayRuntimeService } from './graphql/gateway-runtime.service';
import { GraphqlController } from './graphql/graphql.controller';
import { RequestErrorsFilter } from './graphql/request-errors.filter';
import { GatewayHealthController } from './health/gateway-health.controller';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [loggingModule('gateway', config.LOG_LEVEL), AuthModule.forRoot(config.KOPPELSTUK_DATA_DIR)],
      controllers: [GraphqlController, GatewayHealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        GatewayRuntimeService,
        { provide: APP_FILTER, useClass: RequestErrorsFilter },
      ],
    };
  }
}
