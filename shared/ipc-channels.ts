/** Electron IPC channel names (the preload repeats them: a sandboxed preload cannot require files). */
export const REQUEST_CHANNEL = 'logpool:request';
export const EVENT_CHANNEL = 'logpool:event';
