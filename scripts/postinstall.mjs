// After npm install: ssh2's crypto addon is not an N-API module, so npm (running on the machine's
// own Node) built it for the wrong ABI and ssh2 silently falls back to JavaScript crypto, several
// times slower. This rebuilds it against the headers of the project's Node 24, fetched from the
// npm registry (node-<platform>-<arch>), and never fails the install: without it ssh2 still works.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const binary = process.platform === 'win32' ? 'node.exe' : 'node';
const node24 = [join(root, 'node_modules', '.bin', binary), join(root, 'node_modules', 'node', 'bin', binary)].find(
  (p) => existsSync(p),
);
const addon = 'ssh2/lib/protocol/crypto/build/Release/sshcrypto.node';
const log = (message) => process.stderr.write(`[opsconsole postinstall] ${message}\n`);

function addonLoads() {
  return spawnSync(node24, ['-e', `require(${JSON.stringify(addon)})`], { cwd: root, stdio: 'ignore' }).status === 0;
}

function main() {
  if (!node24 || !existsSync(join(root, 'node_modules', 'ssh2'))) return;
  if (addonLoads()) return;
  const version = spawnSync(node24, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const headers = join(root, 'node_modules', '.cache', 'opsconsole-node-headers', version);
  if (!existsSync(join(headers, 'include', 'node', 'node.h'))) {
    mkdirSync(headers, { recursive: true });
    log(`fetching Node ${version} headers (${pkg}) to build ssh2's native crypto`);
    const pack = spawnSync('npm', ['pack', `${pkg}@${version}`, '--silent', '--pack-destination', headers], {
      cwd: headers,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    const tarball = pack.stdout.trim().split('\n').pop();
    if (pack.status !== 0 || !tarball)
      return log(`could not fetch ${pkg}@${version}: ${pack.stderr.trim()}; ssh2 will use JavaScript crypto`);
    const untar = spawnSync('tar', ['xzf', tarball, '--strip-components=1', 'package/include'], { cwd: headers });
    if (untar.status !== 0) return log('could not unpack the Node headers; ssh2 will use JavaScript crypto');
  }
  const rebuild = spawnSync('npm', ['rebuild', 'ssh2', '--ignore-scripts=false'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, npm_config_nodedir: headers },
    shell: process.platform === 'win32',
  });
  log(
    addonLoads()
      ? `ssh2 native crypto rebuilt for Node ${version}`
      : `ssh2 native crypto could not be built for Node ${version} (${rebuild.stderr.trim().split('\n').pop()}); ssh2 will use JavaScript crypto`,
  );
}

main();
