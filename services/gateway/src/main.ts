import { bootstrapService } from '@koppelstuk/service-kit';
import { GatewayModule } from './app.module';
import { loadGatewayConfig } from './config';
import { configureHttp } from './http';

void bootstrapService(() => {
  const config = loadGatewayConfig();
  return { name: 'gateway', module: GatewayModule.forRoot(config), host: config.HOST, port: config.PORT, configure: (app) => configureHttp(app, config) };
});
