/** The browser host's transport: requests and responses paired by id, events pushed. */
import type { ApiRequest, ApiResponse, AppEvent, LogpoolApi } from '../../shared/app-contract';

export function connectWebSocketApi(url: string): Promise<LogpoolApi> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let nextId = 1;
    const pending = new Map<number, (response: unknown) => void>();
    const listeners = new Set<(event: AppEvent) => void>();
    ws.addEventListener('message', (e) => {
      const message = JSON.parse(String(e.data)) as { id?: number; response?: unknown; event?: AppEvent };
      if (message.event) for (const l of listeners) l(message.event);
      else if (message.id !== undefined) {
        pending.get(message.id)?.(message.response);
        pending.delete(message.id);
      }
    });
    ws.addEventListener('close', () => {
      for (const l of listeners) l({ type: 'host-gone' });
    });
    ws.addEventListener('error', () => reject(new Error('cannot reach logpool serve (is it still running?)')));
    ws.addEventListener('open', () =>
      resolve({
        request<R extends ApiRequest>(request: R): Promise<ApiResponse<R>> {
          const id = nextId++;
          return new Promise((done) => {
            pending.set(id, done as (r: unknown) => void);
            ws.send(JSON.stringify({ id, request }));
          });
        },
        onEvent(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      }),
    );
  });
}
