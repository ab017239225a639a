/**
 * Is an IPC message from our own window's top frame, showing our own page? Every handler asks
 * before it acts. Pure, so that it can be tested without Electron.
 */
export interface SenderInfo {
  /** The sending webContents' id. */
  webContentsId: number;
  /** URL of the frame that sent it (null when the frame is gone). */
  frameUrl: string | null;
  /** Whether that frame is the main frame. */
  isMainFrame: boolean;
}

export function isTrustedSender(sender: SenderInfo, windowId: number | undefined, pageUrl: string): boolean {
  if (windowId === undefined || sender.webContentsId !== windowId || !sender.isMainFrame || sender.frameUrl === null) return false;
  const strip = (u: string): string => u.split('#')[0]!.split('?')[0]!;
  return strip(sender.frameUrl) === strip(pageUrl);
}
