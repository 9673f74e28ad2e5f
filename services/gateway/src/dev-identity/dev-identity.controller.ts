import { Body, Controller, Get, Header, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DevIdentityError, DevIdentityService } from './dev-identity.service';

const STATUS = { BAD_USER_INPUT: 400, FORBIDDEN: 403, SERVICE_UNAVAILABLE: 503 } as const;

/**
 * Development sign-in for the portal: GET /dev/identities (organisations and their members) and
 * POST /dev/token. Registered only when no OIDC provider is configured and NODE_ENV is not production;
 * otherwise both paths answer 404 like any other unknown path.
 */
@Controller('dev')
export class DevIdentityController {
  constructor(private readonly identities: DevIdentityService) {}

  @Get('identities')
  @Header('cache-control', 'no-store')
  async list(@Res({ passthrough: true }) response: Response) {
    return this.answer(response, async () => ({ organisations: await this.identities.identities() }));
  }

  @Post('token')
  @Header('cache-control', 'no-store')
  async token(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    return this.answer(response, () => this.identities.issue(body));
  }

  private async answer<T>(response: Response, work: () => Promise<T>): Promise<T | { errors: { message: string; extensions: { code: string } }[] }> {
    try {
      const result = await work();
      response.status(200);
      return result;
    } catch (error) {
      if (!(error instanceof DevIdentityError)) throw error;
      response.status(STATUS[error.code]);
      return { errors: [{ message: error.message, extensions: { code: error.code } }] };
    }
  }
}
