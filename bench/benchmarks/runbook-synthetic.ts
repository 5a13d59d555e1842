/**
 * A runbook written for the benchmarks (a step per ~350 bytes, four times denser than the corpus) and the bad-input tests: every habit of runbooks written
 * by others (pasted sessions, psql output, scripts, other languages, inline commands) repeated
 * until the text reaches the size asked for. Original text, written for this project.
 */
const section = (n: number) => `## Step ${n}: check the queue of shard ${n}

Scale the consumers first with \`kubectl -n shop scale deploy/worker-${n} --replicas=0\`, then look.

When the queue of shard ${n} stops draining, the consumers are usually stuck on a lock held by a
long transaction, or the sessions of that shard have piled up in Redis after a deploy. Check both
before restarting anything: a restart hides the cause and the next page comes an hour later.
Keep the incident channel posted after each step, and write down the numbers you see.

> **Warning:** the unlink below deletes the sessions of shard ${n}: every user of that shard is
> signed out. Do it only when the shard's session count is above the threshold in the dashboard.

\`\`\`console
$ kubectl -n shop get pods -l app=worker-${n}
NAME              READY   STATUS    RESTARTS   AGE
worker-${n}-0     1/1     Running   0          3d
$ redis-cli -n 2 --scan --pattern 'sess:${n}:*' | xargs -n 100 redis-cli -n 2 unlink
(integer) 100
\`\`\`

\`\`\`sql
SELECT id, state FROM jobs WHERE shard = ${n} AND state = 'stuck';
 id | state
----+-------
  1 | stuck
(1 row)
\`\`\`

\`\`\`bash
#!/bin/bash
src=$1
for f in "$src"/*.log; do
  gzip "$f"
done
\`\`\`

\`\`\`python
cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle'")
\`\`\`

Output:

\`\`\`
done
\`\`\`
`;

export function syntheticRunbook(bytes: number): string {
  const parts = ['---\ntitle: Synthetic queue runbook\n---\n\n# Queue runbook\n'];
  let size = parts[0]!.length;
  for (let n = 1; size < bytes; n++) {
    const text = section(n);
    parts.push(text);
    size += text.length;
  }
  return parts.join('\n');
}
