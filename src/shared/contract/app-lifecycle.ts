import { z } from 'zod';
import { operation } from './define';

export const appLifecycleOperations = {
  /**
   * What quitting now would roll back, one sentence each: runs waiting for their confirmation
   * and queries still running. The desktop app asks before it quits when this is not empty.
   */
  'app.openWork': operation<string[]>()(z.object({}).strict(), 'List the work a quit would roll back'),
};
