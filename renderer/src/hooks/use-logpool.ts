/**
 * The connection to main (the preload's API or the browser host's WebSocket) and the run it
 * reports: events folded into RunState; a page opened or reloaded mid-run, or after it, is given
 * that run; losing the host is flagged, and what is on screen stays.
 */
import { startTransition, useEffect, useReducer, useRef, useState } from 'react';
import type { AppEvent, AppInfo, LogpoolApi, RunSettings } from '../../../shared/app-contract';
import { connectApi, type DesktopApi } from '../bridge';
import { reduceRun } from '../run-state';

export type Api = LogpoolApi & Partial<Pick<DesktopApi, 'pathForFile'>>;
export type MenuEvent = Extract<AppEvent, { type: 'menu' }>;

export function useLogpool(handlers: { onMenu: (e: MenuEvent) => void; onRestore: (settings: RunSettings) => void; onInfo: (info: AppInfo) => void }) {
  const [api, setApi] = useState<Api>();
  const [info, setInfo] = useState<AppInfo>();
  const [fatal, setFatal] = useState<string>();
  const [disconnected, setDisconnected] = useState(false);
  const [run, dispatch] = useReducer(reduceRun, undefined);
  // the latest handlers, without reconnecting when they change
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    let off: (() => void) | undefined;
    connectApi()
      .then(async (a) => {
        setApi(a);
        off = a.onEvent((event) => {
          if (event.type === 'menu') latest.current.onMenu(event);
          else if (event.type === 'host-gone') setDisconnected(true);
          // progress re-renders are interruptible: typing, clicking and scrolling stay responsive
          else if (event.type === 'run-progress' || event.type === 'run-live') startTransition(() => dispatch(event));
          else dispatch(event);
        });
        const i = await a.request({ type: 'get-info' });
        latest.current.onInfo(i);
        setInfo(i);
        const { events } = await a.request({ type: 'get-run' });
        for (const event of events) dispatch(event);
        const started = events[0];
        if (started?.type === 'run-started') latest.current.onRestore(started.settings);
      })
      .catch((e: unknown) => setFatal(e instanceof Error ? e.message : String(e)));
    return () => off?.();
  }, []);

  return { api, info, fatal, disconnected, run };
}
