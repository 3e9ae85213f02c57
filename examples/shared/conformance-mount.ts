import type { Context, Hono } from 'hono';

/** What a conformance test interface of 'shomei/conformance' offers an app: a Web Request handler. */
interface TestInterface {
  handle(request: Request): Promise<Response | undefined>;
}

/**
 * SANDBOX ONLY: mounts a conformance test interface (spec/17) at `/conformance` of an example app. A
 * production party never exposes it.
 */
export function mountConformance(app: Hono, conformance: TestInterface | undefined): void {
  if (conformance === undefined) return;
  const mount = async (c: Context, next: () => Promise<void>): Promise<Response | void> => {
    const handled = await conformance.handle(c.req.raw);
    if (handled !== undefined) return handled;
    await next();
  };
  app.use('/conformance', mount);
  app.use('/conformance/*', mount);
}
