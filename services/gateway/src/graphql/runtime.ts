import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Principal } from '@koppelstuk/auth';

/** Who asks, verified at the gateway before anything is planned; subgraphs verify the token again. */
export interface GatewayContext {
  readonly principal: Principal;
  readonly authorization: string;
  readonly correlationId: string;
}

export interface RuntimeOptions {
  readonly supergraphSdl: string;
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly production: boolean;
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly context: (request: IncomingMessage) => Promise<GatewayContext>;
  readonly logError: (error: unknown) => void;
}

/** A federation runtime mounted at /graphql: Apollo Gateway or Hive Gateway, chosen by measurement. */
export interface GatewayRuntime {
  readonly handler: RequestHandler;
  stop(): Promise<void>;
}
