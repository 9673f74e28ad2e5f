import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { ConfigurationError } from './config/service-config';

export interface ServicePlan {
  readonly name: string;
  readonly module: Type<unknown> | DynamicModule;
  readonly host: string;
  readonly port: number;
  /** Express-level set-up before listening (body limits, static files). */
  readonly configure?: (app: INestApplication) => void;
}

/**
 * Starts a service: configuration first (a bad setting stops it with a clear message and exit code 78,
 * "configuration error"), pino as Nest's logger, and shutdown hooks so that SIGTERM/SIGINT close
 * connections and stop projections cleanly.
 */
export async function bootstrapService(plan: () => ServicePlan): Promise<INestApplication> {
  let settings: ServicePlan;
  try {
    settings = plan();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await NestFactory.create(settings.module, { bufferLogs: true, bodyParser: !settings.configure });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  settings.configure?.(app);
  await app.listen(settings.port, settings.host);
  app.get(Logger).log(`${settings.name} listening on http://${settings.host}:${settings.port}`);
  return app;
}
