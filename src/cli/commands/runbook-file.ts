import { stat } from 'node:fs/promises';
import { fileCaps, readBoundedFile } from '../../main/bounded-file';
import { OpsError } from '../../main/errors';

/**
 * The text of a runbook file named on the command line (`named` as the operator wrote it, for the
 * error): read by the CLI, with the bounded reader, so the file need not be in the library.
 */
export async function readRunbookArg(file: string, named: string): Promise<string> {
  if (!(await stat(file).catch(() => undefined))?.isFile())
    throw new OpsError('invalid_input', `${named} is not a file: give a markdown runbook.`);
  return (await readBoundedFile(file, { what: 'The runbook', maxBytes: fileCaps.runbook })).toString('utf8');
}
