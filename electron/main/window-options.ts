/** The window's security settings, kept apart from Electron so that a test can read them. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  // a middle click would otherwise open a link in a new window, past setWindowOpenHandler's checks
  disableBlinkFeatures: 'Auxclick',
} as const;
