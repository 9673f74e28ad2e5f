import { bootstrapService } from '@koppelstuk/service-kit';
import { AuditModule } from './app.module';
import { loadAuditConfig } from './config';

void bootstrapService(() => {
  const config = loadAuditConfig();
  return { name: 'audit', module: AuditModule.forRoot(config), host: config.HOST, port: config.PORT };
});
