import { bootstrapService } from '@koppelstuk/service-kit';
import { InboxModule } from './app.module';
import { loadInboxConfig } from './config';

void bootstrapService(() => {
  const config = loadInboxConfig();
  return { name: 'inbox', module: InboxModule.forRoot(config), host: config.HOST, port: config.PORT };
});
