import { ERROR_STATUS, type ErrorCode } from '@meshdeck/domain';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { storeUnavailableCode } from '../db/open-db.ts';
import { AppError, RouteNotFoundError, type ErrorDetails } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { requestIdOf } from './request-id.ts';

interface ErrorReply {
  status: number;
  body: { code: ErrorCode; message: string; details?: ErrorDetails } & Record<string, unknown>;
  retryAfterSeconds?: number;
}

/**
 * What a client is told when the store cannot serve (docs/reliability.md): always 503 with
 * Retry-After, never 500, never SQLite's own text (it can name the database file).
 */
export function storeUnavailableReply(storeCode: string): ErrorReply {
  if (/^(SQLITE_FULL|PG_53100)/.test(storeCode)) {
    return {
      ...reply(
        'ServiceUnavailable',
        'the disk is full: writes are paused and resume by themselves once space is freed; reads still work',
      ),
      retryAfterSeconds: 5,
    };
  }
  // BUSY/LOCKED (another connection holds the lock longer than the busy timeout) and the rest.
  if (/^SQLITE_IOERR/.test(storeCode)) {
    return {
      ...reply('ServiceUnavailable', 'the store could not read or write the disk; retry later'),
      retryAfterSeconds: 5,
    };
  }
  return {
    ...reply('ServiceUnavailable', 'the store is unavailable; retry later'),
    retryAfterSeconds: 1,
  };
}

function propertyOf(error: unknown, key: string): unknown {
  return typeof error === 'object' && error !== null
    ? (error as Record<string, unknown>)[key]
    : undefined;
}

function reply(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): ErrorReply {
  return { status: ERROR_STATUS[code], body: { code, message, ...extra } };
}

/**
 * Maps anything thrown to the OCI error body. Only our own errors carry their message out;
 * everything else gets a fixed text, so no parser position, stack, file path or class name
 * ("SyntaxError", "URIError") ever reaches a client, whatever NODE_ENV says.
 */
export function toErrorReply(error: unknown): ErrorReply {
  if (error instanceof AppError) {
    return {
      status: ERROR_STATUS[error.code],
      body: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
      ...(error.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: error.retryAfterSeconds }
        : {}),
    };
  }
  const type = propertyOf(error, 'type');
  // body-parser: `error` repeats the message for clients that read that key (cases G4, G5).
  if (type === 'entity.too.large') {
    const limitBytes = propertyOf(error, 'limit');
    return reply('PayloadTooLarge', 'payload too large', {
      error: 'payload too large',
      limitBytes,
    });
  }
  if (type === 'entity.parse.failed') {
    // Strict JSON parsing refuses bare values (`null`, `"x"`, `42`) too: they parse, but are no
    // object, so say that rather than "malformed".
    const body = propertyOf(error, 'body');
    if (typeof body === 'string' && parsesAsJson(body)) {
      return reply('CannotParseRequest', 'the body must be a JSON object, not a bare value', {
        error: 'the body must be a JSON object, not a bare value',
      });
    }
    return reply('CannotParseRequest', 'malformed JSON', { error: 'malformed JSON' });
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return reply('UnsupportedMediaType', 'unsupported charset or content encoding');
  }
  if (error instanceof URIError) return reply('InvalidParameter', 'malformed URL');
  const storeCode = storeUnavailableCode(error);
  if (storeCode !== undefined) return storeUnavailableReply(storeCode);
  if (error instanceof TypeError && error.message === 'The database connection is not open') {
    return {
      ...reply('ServiceUnavailable', 'the store is unavailable; retry later'),
      retryAfterSeconds: 1,
    };
  }
  const status = propertyOf(error, 'status') ?? propertyOf(error, 'statusCode');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return reply('NotFound', 'not found');
    if (status === 413) return reply('PayloadTooLarge', 'payload too large');
    if (status === 415) return reply('UnsupportedMediaType', 'unsupported media type');
    return reply('InvalidParameter', 'bad request');
  }
  return reply('InternalServerError', 'internal error');
}

export function sendError(res: Response, errorReply: ErrorReply): void {
  if (errorReply.retryAfterSeconds !== undefined) {
    res.setHeader('Retry-After', String(errorReply.retryAfterSeconds));
  }
  res.status(errorReply.status).json(errorReply.body);
}

/** Unknown paths and methods: 404 NotFound, JSON like every other error. */
export const notFoundHandler: RequestHandler = () => {
  throw new RouteNotFoundError('no such endpoint');
};

/** The last middleware: one JSON error body for everything; 5xx are logged with the request id. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const errorReply = toErrorReply(error);
    const requestId = requestIdOf(res);
    const unavailable = errorReply.status === 503 ? storeUnavailableCode(error) : undefined;
    if (unavailable !== undefined) {
      // Expected while the database is away (a restart, a full disk): one line, no stack.
      logger.warn('store unavailable', {
        requestId,
        method: req.method,
        path: req.path,
        code: unavailable,
      });
    } else if (errorReply.status >= 500) {
      logger.error('request failed', {
        requestId,
        method: req.method,
        path: req.path,
        status: errorReply.status,
        error,
      });
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    sendError(res, errorReply);
  };
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
