import { Controller, Get, Header, Inject } from '@nestjs/common';
import { SERVICE_CONFIG } from '@koppelstuk/service-kit';
import type { GatewayConfig } from '../config';
import { portalConfig, type PortalConfig } from './portal-config';

/** GET /portal/config: what the portal needs to know before anyone signs in. */
@Controller('portal')
export class PortalConfigController {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: GatewayConfig) {}

  @Get('config')
  @Header('cache-control', 'no-store')
  get(): PortalConfig {
    return portalConfig(this.config);
  }
}
