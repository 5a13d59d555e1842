import { defineCommand } from '../command';

export const versionCommand = defineCommand({
  path: ['app', 'info'],
  summary: 'Show the version, data folder and how secrets are protected',
  usage: '[--json]',
  options: {},
  async run({ core }) {
    const info = await core().invoke('app.info', {});
    return {
      value: info,
      text: `Ops Console ${info.version}\ndata folder: ${info.dataDir}\nsecrets protected by: ${info.vaultProtection === 'keychain' ? 'the OS keychain' : 'a key file only (no keychain found)'}\noperator: ${info.operator}`,
    };
  },
});
