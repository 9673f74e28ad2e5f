import { bootstrapService } from '@koppelstuk/service-kit';
import { DirectoryModule } from './app.module';
import { loadDirectoryConfig } from './config';

void bootstrapService(() => {
  const config = loadDirectoryConfig();
  return { name: 'directory', module: DirectoryModule.forRoot(config), host: config.HOST, port: config.PORT };
});
