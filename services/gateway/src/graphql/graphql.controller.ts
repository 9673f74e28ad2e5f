import { All, Controller, Next, Req, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { GatewayRuntimeService } from './gateway-runtime.service';

/** /graphql: handed to the federation runtime, inside Nest so that request logging and ids apply. */
@Controller('graphql')
export class GraphqlController {
  constructor(private readonly runtime: GatewayRuntimeService) {}

  @All()
  handle(@Req() request: Request, @Res() response: Response, @Next() next: NextFunction): void {
    response.setHeader('x-correlation-id', String((request as Request & { id?: string }).id ?? ''));
    void this.runtime.handler(request, response, next);
  }
}
