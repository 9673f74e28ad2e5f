import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule, loggingModule, SERVICE_CONFIG } from '@koppelstuk/service-kit';
import type { GatewayConfig } from './config';
import { GatewayRuntimeService } from './graphql/gateway-runtime.service';
import { GraphqlController } from './graphql/graphql.controller';
import { RequestErrorsFilter } from './graphql/request-errors.filter';
import { GatewayHealthController } from './health/gateway-health.controller';
import { DevIdentityController } from './dev-identity/dev-identity.controller';
import { DevIdentityService } from './dev-identity/dev-identity.service';
import { developmentSignIn } from './dev-identity/portal-config';
import { PortalConfigController } from './dev-identity/portal-config.controller';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const devSignIn = developmentSignIn(config);
    return {
      module: GatewayModule,
      imports: [loggingModule('gateway', config.LOG_LEVEL), AuthModule.forRoot(config.KOPPELSTUK_DATA_DIR)],
      controllers: [GraphqlController, GatewayHealthController, PortalConfigController, ...(devSignIn ? [DevIdentityController] : [])],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        ...(devSignIn ? [DevIdentityService] : []),
        GatewayRuntimeService,
        { provide: APP_FILTER, useClass: RequestErrorsFilter },
      ],
    };
  }
}
