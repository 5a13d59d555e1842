import { contextBridge, ipcRenderer } from 'electron';
import { eventNames, operationNames } from '../shared/contract';

// One method per contract operation and one subscription per event; nothing else is exposed
// (no ipcRenderer, no generic invoke, no process).
const api: Record<string, unknown> = {};
for (const name of operationNames) {
  api[name] = (input: unknown) => ipcRenderer.invoke(name, input);
}
for (const name of eventNames) {
  api[name] = (listener: (payload: unknown) => void) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(name, handler);
    return () => void ipcRenderer.removeListener(name, handler);
  };
}
contextBridge.exposeInMainWorld('opsConsole', Object.freeze(api));
