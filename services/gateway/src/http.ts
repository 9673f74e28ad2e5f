import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { schemaDirectory } from '@koppelstuk/service-kit';
import type { GatewayConfig } from './config';

/**
 * The HTTP front: a JSON body limit (a 2 MB query is refused before it is parsed), and the portal's
 * static build at / with the single-page app's index for its routes (not for /graphql, /health, /portal/config
 * and /dev/…, which Nest answers).
 */
export function configureHttp(nest: INestApplication, config: GatewayConfig): void {
  const app = nest as NestExpressApplication;
  app.useBodyParser('json', { limit: config.MAX_BODY_BYTES });
  const portal = config.PORTAL_DIR ?? join(schemaDirectory(__dirname), '..', 'services', 'portal', 'dist');
  if (!existsSync(join(portal, 'index.html'))) return;
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.use(express.static(portal, { index: false, maxAge: '1h' }));
  // Every other GET is a route of the single-page app, except the API and what the portal asks the gateway.
  server.get(/^\/(?!graphql|health|portal\/config|dev\/).*/, (_request, response) => response.sendFile(join(portal, 'index.html')));
}
