import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'meshdeck_session';

/** The session id from the `Cookie` header; undefined when there is none. */
export function sessionIdOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** HttpOnly, SameSite=Strict; Secure when the request came over https. */
export function setSessionCookie(req: Request, res: Response, id: string, maxAgeSeconds: number) {
  res.cookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearSessionCookie(req: Request, res: Response) {
  res.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
  });
}

/**
 * Whether a browser sent this request from another site: `Sec-Fetch-Site` other than
 * same-origin/none, or an `Origin` that is not this server. Clients that send neither (curl,
 * tests) are judged by the CSRF token alone.
 */
export function isCrossSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.get('origin');
  if (origin === undefined) return false;
  const host = req.get('host');
  return origin !== `${req.protocol}://${host}`;
}
