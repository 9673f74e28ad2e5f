import { ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';

/**
 * Requests that never reach GraphQL (a body too large, JSON that does not parse) are answered in the
 * GraphQL error shape with a stable code, never as an HTML page or a stack trace.
 */
@Catch()
export class RequestErrorsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof HttpException ? exception.getStatus() : ((exception as { status?: number }).status ?? 500);
    const type = (exception as { type?: string }).type;
    const [code, message] =
      status === 413 || type === 'entity.too.large'
        ? ['PAYLOAD_TOO_LARGE', 'The request body is too large']
        : type === 'entity.parse.failed' || (status === 400 && /JSON/i.test(String((exception as Error).message)))
          ? ['BAD_REQUEST', 'The request body is not valid JSON']
          : status === 404
            ? ['NOT_FOUND', 'Nothing here: the API is at /graphql']
            : status === 503 && exception instanceof HttpException
              ? ['SERVICE_UNAVAILABLE', 'Not ready']
              : status < 500
                ? ['BAD_REQUEST', (exception as Error).message]
                : ['INTERNAL_SERVER_ERROR', 'Something went wrong on our side; the error has been logged'];
    if (status === 503 && exception instanceof HttpException) {
      response.status(503).json(exception.getResponse());
      return;
    }
    response.status(status >= 400 ? status : 500).json({ errors: [{ message, extensions: { code } }] });
  }
}
