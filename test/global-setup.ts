import type { TestProject } from 'vitest/node';
import { freePort, startRedisServer, stopRedisServer } from './support/redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis the integration and contract suites use (REDIS_URL or a private redis-server). */
    redisUrl: string;
  }
}

/**
 * Gives the test run a Redis: REDIS_URL when set (tests use unique key prefixes and clean up),
 * otherwise a private redis-server on a free port without persistence, stopped at the end.
 * Redis suites never skip: without either, the run fails with instructions.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.REDIS_URL;
  if (given) {
    project.provide('redisUrl', given);
    return async () => {};
  }
  const port = await freePort();
  const server = await startRedisServer(port);
  const url = `redis://127.0.0.1:${port}`;
  project.provide('redisUrl', url);
  return () => stopRedisServer(server);
}
