import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthModule, InfrastructureModule, loggingModule, subgraphModule } from '@koppelstuk/service-kit';
import type { DirectoryConfig } from './config';
import { DirectoryView } from './directory-view/directory-view';
import { OrganisationResolver, ServiceResolver } from './directory-view/directory.resolver';
import { ChangeDirectoryHandler } from './manage-directory/directory-commands';
import { DirectoryMutationsResolver } from './manage-directory/directory-mutations.resolver';

@Module({})
export class DirectoryModule {
  static forRoot(config: DirectoryConfig): DynamicModule {
    return {
      module: DirectoryModule,
      imports: [
        loggingModule('directory', config.LOG_LEVEL),
        InfrastructureModule.forRoot({ service: 'directory', config, personalData: false }),
        CqrsModule.forRoot(),
        HealthModule,
        subgraphModule('directory', config.NODE_ENV === 'production'),
      ],
      providers: [DirectoryView, OrganisationResolver, ServiceResolver, DirectoryMutationsResolver, ChangeDirectoryHandler],
    };
  }
}
