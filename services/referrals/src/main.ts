import { bootstrapService } from '@koppelstuk/service-kit';
import { ReferralsModule } from './app.module';
import { loadReferralsConfig } from './config';

void bootstrapService(() => {
  const config = loadReferralsConfig();
  return { name: 'referrals', module: ReferralsModule.forRoot(config), host: config.HOST, port: config.PORT };
});
