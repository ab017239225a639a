/**
 * Every key of one panel of a finished run, fetched page by page when its table is opened (main
 * sorts a panel once per run and answers in bounded pages).
 */
import { useEffect, useState } from 'react';
import type { ApiResponse, LogpoolApi } from '../../../shared/app-contract';
import type { PanelName } from '../../../shared/panels';

export interface PanelKeys {
  runId: number;
  panel: PanelName;
  keys: string[];
  counts: number[];
  bytes: number[];
}

async function loadAllKeys(api: LogpoolApi, runId: number, panel: PanelName): Promise<PanelKeys> {
  const out: PanelKeys = { runId, panel, keys: [], counts: [], bytes: [] };
  for (let offset: number | null = 0; offset !== null; ) {
    const page: ApiResponse<{ type: 'get-keys'; runId: number; panel: PanelName; offset: number; limit: number }> = await api.request({ type: 'get-keys', runId, panel, offset, limit: 50_000 });
    if ('error' in page) throw new Error(page.error);
    for (let i = 0; i < page.keys.length; i++) {
      out.keys.push(page.keys[i]!);
      out.counts.push(page.counts[i]!);
      out.bytes.push(page.bytes[i]!);
    }
    offset = page.next;
  }
  return out;
}

/** The keys of `panel` in run `runId` (undefined while loading, or when nothing is asked). */
export function usePanelKeys(api: LogpoolApi | undefined, runId: number | undefined, panel: PanelName | undefined, onError: (message: string) => void): PanelKeys | undefined {
  const [keys, setKeys] = useState<PanelKeys>();
  useEffect(() => {
    if (!api || runId === undefined || panel === undefined) return;
    if (keys?.runId === runId && keys.panel === panel) return;
    let current = true;
    loadAllKeys(api, runId, panel).then(
      (all) => current && setKeys(all),
      (e: unknown) => current && onError(`Could not load every key: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      current = false;
    };
  }, [api, runId, panel, keys, onError]);
  return keys !== undefined && keys.runId === runId && keys.panel === panel ? keys : undefined;
}
