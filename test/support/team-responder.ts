// A responder's app that records notes into a shared incident and then hangs, for a test to kill -9:
// argv: DATA_DIR INCIDENT_ID COUNT. Prints "recorded N" once every note is acknowledged locally.
import { createCore } from '../../src/main/core';
import { fileKeySource } from '../../src/main/vault/key-sources';

const [dataDir, incidentId, count] = process.argv.slice(2);
const core = createCore({
  dataDir: dataDir!,
  keySource: fileKeySource(dataDir!),
  knownHostsFiles: [],
  operator: 'carol',
  teamLive: true,
});
for (let i = 0; i < Number(count); i++) await core.invoke('incidents.note', { id: incidentId!, text: `C: note ${i}` });
process.stdout.write(`recorded ${count}\n`);
setInterval(() => undefined, 60_000);
