import { OpsError } from '../../main/errors';
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
      if (!host || portText === undefined)
        throw new OpsError(
          'invalid_input',
          'HOST and PORT are needed: e.g. opsconsole known-hosts remove db.example 22.',
        );
      if (extra.length)
        throw new OpsError('invalid_input', `Unexpected argument "${extra[0]}": give one HOST and one PORT.`);
      const port = Number(portText);
      if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
        throw new OpsError('invalid_input', `PORT must be a number from 1 to 65535 (e.g. 22), not "${portText}".`);
      const result = await core().invoke('knownHosts.remove', { host, port, keyType: values['key-type'] });
      return { value: result, text: `Forgot ${result.removed} host key(s) of ${host}:${port}.` };
    },
  }),
];
