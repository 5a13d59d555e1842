import { defineCommand, type CliCommand } from '../command';

/** `known-hosts list|remove`: the app's trust store, as Settings → Known hosts shows it. */
export const knownHostsCommands: CliCommand[] = [
  defineCommand({
    path: ['known-hosts', 'list'],
    readOnly: true,
    summary: 'List the host keys trusted in the app (not those of ~/.ssh/known_hosts)',
    usage: '[--json]',
    options: {},
    async run({ core }) {
      const keys = await core().invoke('knownHosts.list', {});
      const text = keys.length
        ? keys.map((k) => `${k.host}:${k.port}  ${k.keyType}  ${k.fingerprint}  trusted ${k.trustedAt}`).join('\n')
        : 'No host key is trusted in the app yet.';
      return { value: keys, text };
    },
  }),
  defineCommand({
    path: ['known-hosts', 'remove'],
    summary: 'Forget the trusted host keys of HOST PORT (after a real key rotation); the next connection asks again',
    usage: 'HOST PORT [--key-type TYPE] [--json]',
    options: {
      'key-type': { type: 'string', value: 'TYPE', description: 'only the key of this type (e.g. ssh-ed25519)' },
    },
    async run({ core, positionals, values }) {
      const [host, portText, ...extra] = positionals;
      const port = Number(portText);
      const result = await core().invoke('knownHosts.remove', {
        host: host ?? '',
        port: extra.length ? Number.NaN : port,
        keyType: values['key-type'],
      });
      return { value: result, text: `Forgot ${result.removed} host key(s) of ${host}:${port}.` };
    },
  }),
];
