import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { AuthenticationError, type TokenVerifier } from '@koppelstuk/auth';
import { appError, correlationIdOf, schemaDirectory, SERVICE_CONFIG, TOKEN_VERIFIER } from '@koppelstuk/service-kit';
import { subgraphUrls, type GatewayConfig } from '../config';
import type { GatewayContext, GatewayRuntime } from './runtime';

/** Starts the configured federation runtime and verifies every request's token before it plans anything. */
@Injectable()
export class GatewayRuntimeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('gateway');
  private runtime: GatewayRuntime | null = null;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  get handler(): RequestHandler {
    if (!this.runtime) throw new Error('The gateway runtime has not started');
    return this.runtime.handler;
  }

  async onModuleInit(): Promise<void> {
    const supergraphSdl = readFileSync(this.config.SUPERGRAPH_PATH ?? join(schemaDirectory(__dirname), 'supergraph.graphql'), 'utf8');
    const options = {
      supergraphSdl,
      subgraphUrls: subgraphUrls(this.config),
      production: this.config.NODE_ENV === 'production',
      maxDepth: this.config.MAX_QUERY_DEPTH,
      maxCost: this.config.MAX_QUERY_COST,
      context: (request: IncomingMessage) => this.context(request),
      logError: (error: unknown) => this.logger.error(error),
    };
    // Only the chosen runtime is loaded: each brings its own federation stack (tens of MB of memory).
    this.runtime =
      this.config.GATEWAY_RUNTIME === 'hive'
        ? await (await import('./hive-runtime')).createHiveRuntime(options)
        : await (await import('./apollo-runtime')).createApolloRuntime(options);
    this.logger.log(`Federation runtime: ${this.config.GATEWAY_RUNTIME === 'hive' ? 'Hive Gateway' : 'Apollo Gateway'}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.runtime?.stop();
  }

  private async context(request: IncomingMessage): Promise<GatewayContext> {
    const authorization = request.headers.authorization ?? '';
    try {
      const principal = await this.verifier.verify(authorization);
      const id = (request as IncomingMessage & { id?: unknown }).id;
      return { principal, authorization, correlationId: id ? String(id) : correlationIdOf(request) };
    } catch (error) {
      if (error instanceof AuthenticationError) throw appError('UNAUTHENTICATED', error.message);
      throw error;
    }
  }
}
