import { afterAll } from 'vitest';
import { closeTestDbs } from './test-db.ts';

// PostgreSQL runs open one connection and one schema per test store: give both back when a file
// ends (SQLite's in-memory stores go with the worker).
afterAll(() => closeTestDbs());
