import type { AppConfig } from '../app.ts';

/**
 * Sign-in settings from the environment (README "Sign-in and roles"):
 * MESHDECK_SETUP_TOKEN (the first-run token, else random and printed at start),
 * MESHDECK_SESSION_IDLE_SECONDS (default 3600), MESHDECK_SESSION_MAX_SECONDS (default 43200),
 * MESHDECK_API_RATE_PER_MINUTE (requests per session or API key, default 1200).
 * Throws a plain message on a bad value.
 */
export function authConfigFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<AppConfig, 'setupToken' | 'session' | 'rateLimits'> {
  const seconds = (name: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`${name} must be a whole number above 0`);
    }
    return value;
  };
  const token = env.MESHDECK_SETUP_TOKEN;
  if (token !== undefined && token !== '' && token.length < 12) {
    throw new Error('MESHDECK_SETUP_TOKEN must be at least 12 characters');
  }
  const idleSeconds = seconds('MESHDECK_SESSION_IDLE_SECONDS');
  const absoluteSeconds = seconds('MESHDECK_SESSION_MAX_SECONDS');
  const perMinute = seconds('MESHDECK_API_RATE_PER_MINUTE');
  return {
    ...(token ? { setupToken: token } : {}),
    session: {
      ...(idleSeconds !== undefined ? { idleSeconds } : {}),
      ...(absoluteSeconds !== undefined ? { absoluteSeconds } : {}),
    },
    ...(perMinute !== undefined
      ? { rateLimits: { api: { limit: perMinute, windowSeconds: 60 } } }
      : {}),
  };
}
