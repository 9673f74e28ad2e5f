import { bootstrapService } from '@koppelstuk/service-kit';
import { OutcomesModule } from './app.module';
import { loadOutcomesConfig } from './config';

void bootstrapService(() => {
  const config = loadOutcomesConfig();
  return { name: 'outcomes', module: OutcomesModule.forRoot(config), host: config.HOST, port: config.PORT };
});
