/**
 * The preload: a small, purpose-built API for the renderer (never raw ipcRenderer). Sandboxed, so
 * it requires nothing but 'electron'; channel names are those of shared/ipc-channels.ts (a test
 * checks they match).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiRequest, ApiResponse, AppEvent } from '../../shared/app-contract';

const REQUEST_CHANNEL = 'logpool:request';
const EVENT_CHANNEL = 'logpool:event';

contextBridge.exposeInMainWorld('logpool', {
  request<R extends ApiRequest>(request: R): Promise<ApiResponse<R>> {
    return ipcRenderer.invoke(REQUEST_CHANNEL, request) as Promise<ApiResponse<R>>;
  },
  onEvent(listener: (event: AppEvent) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: AppEvent): void => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.off(EVENT_CHANNEL, wrapped);
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
