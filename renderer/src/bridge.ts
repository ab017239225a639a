/**
 * The renderer's way to main: the preload's `window.logpool` in the desktop app, or a WebSocket
 * to `logpool serve` in a browser. Both implement the same typed API.
 */
import type { LogpoolApi } from '../../shared/app-contract';
import { connectWebSocketApi } from './ws-client';

export interface DesktopApi extends LogpoolApi {
  /** The path of a file dropped on the window (desktop only). */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    logpool?: DesktopApi;
  }
}

export async function connectApi(): Promise<LogpoolApi & Partial<Pick<DesktopApi, 'pathForFile'>>> {
  if (window.logpool) return window.logpool;
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new Error('This page needs the address logpool serve printed (it carries the session token).');
  return connectWebSocketApi(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`);
}
