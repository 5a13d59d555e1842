import type { Handlers } from '../../shared/contract';
import type { DemoService } from './demo-service';

/** demo.create: the demo's rehearsal shape comes with its template (no read of the engine on the first minute). */
export function demoHandlers(demo: DemoService): Pick<Handlers, 'demo.create'> {
  return { 'demo.create': async () => demo.create() };
}
