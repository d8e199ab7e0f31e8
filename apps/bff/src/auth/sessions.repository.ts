import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { prepare, type Db } from '../db/open-db.ts';

export interface SessionConfig {
  /** A session unused this long ends (default 1 hour). */
  idleSeconds: number;
  /** A session ends this long after sign-in, used or not (default 12 hours). */
  absoluteSeconds: number;
}

export const DEFAULT_SESSION_CONFIG: SessionConfig = { idleSeconds: 3600, absoluteSeconds: 43200 };

export interface Session {
  userId: string;
  csrfToken: string;
  timeCreated: string;
  timeExpires: string;
}

export interface SessionRepository {
  /** A new session; the returned `id` goes in the cookie and is stored only as its hash. */
  create(userId: string): { id: string; session: Session };
  /** The live session with this id (touching it), undefined when unknown or expired. */
  find(id: string): Session | undefined;
  remove(id: string): void;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

export function createSessionRepository(
  db: Db,
  clock: Clock,
  config: SessionConfig = DEFAULT_SESSION_CONFIG,
): SessionRepository {
  return {
    create(userId) {
      const id = randomBytes(32).toString('base64url');
      const now = clock.now();
      const session: Session = {
        userId,
        csrfToken: randomBytes(32).toString('base64url'),
        timeCreated: now.toISOString(),
        timeExpires: new Date(now.getTime() + config.absoluteSeconds * 1000).toISOString(),
      };
      // Expired sessions go whenever a new one starts.
      prepare(db, 'DELETE FROM sessions WHERE time_expires <= ?').run(session.timeCreated);
      prepare(
        db,
        `INSERT INTO sessions (id_hash, user_id, csrf_token, time_created, time_last_seen, time_expires)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(
        hashOf(id),
        userId,
        session.csrfToken,
        session.timeCreated,
        session.timeCreated,
        session.timeExpires,
      );
      return { id, session };
    },
    find(id) {
      const idHash = hashOf(id);
      const row = prepare(db, 'SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as
        Record<string, string> | undefined;
      if (!row) return undefined;
      const now = clock.now();
      const idleEnd = Date.parse(row.time_last_seen as string) + config.idleSeconds * 1000;
      if (now.getTime() >= idleEnd || now.toISOString() >= (row.time_expires as string)) {
        prepare(db, 'DELETE FROM sessions WHERE id_hash = ?').run(idHash);
        return undefined;
      }
      prepare(db, 'UPDATE sessions SET time_last_seen = ? WHERE id_hash = ?').run(
        now.toISOString(),
        idHash,
      );
      return {
        userId: row.user_id as string,
        csrfToken: row.csrf_token as string,
        timeCreated: row.time_created as string,
        timeExpires: row.time_expires as string,
      };
    },
    remove(id) {
      prepare(db, 'DELETE FROM sessions WHERE id_hash = ?').run(hashOf(id));
    },
  };
}
