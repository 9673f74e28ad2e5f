import { Global, Module, type DynamicModule } from '@nestjs/common';
import { authConfigFromEnv, createTokenVerifier } from '@koppelstuk/auth';
import { TOKEN_VERIFIER } from '../infrastructure/tokens';

/** Token verification only: for the gateway, which holds no data; services get it with their infrastructure. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(dataDir: string): DynamicModule {
    const provider = {
      provide: TOKEN_VERIFIER,
      useFactory: async () => createTokenVerifier(await authConfigFromEnv({ ...process.env, KOPPELSTUK_DATA_DIR: dataDir })),
    };
    return { module: AuthModule, providers: [provider], exports: [provider] };
  }
}
