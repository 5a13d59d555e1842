import { z } from 'zod';
import { operation } from './define';

export const appLifecycleOperations = {
  /**
   * What quitting now would roll back or end, one sentence each: runs waiting for their
   * confirmation, queries still running, exports still being written, shells still open. The
   * desktop app asks before it quits when this is not empty.
   */
  'app.openWork': operation<string[]>()(z.object({}).strict(), 'List the work a quit would roll back or end'),
};
