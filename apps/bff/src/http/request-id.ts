import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

/** Client request ids we echo: the SDK's shape and similar; anything else gets a fresh id. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:/-]{1,128}$/;

/** Puts an `opc-request-id` on every response: the client's own when it sent a sane one. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.get('opc-request-id');
    const id =
      given && ACCEPTABLE_ID.test(given) ? given : randomUUID().replace(/-/g, '').toUpperCase();
    res.locals.requestId = id;
    res.setHeader('opc-request-id', id);
    next();
  };
}

export function requestIdOf(res: Response): string {
  return typeof res.locals.requestId === 'string' ? res.locals.requestId : '';
}
