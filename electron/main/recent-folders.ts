/** Recent folders, remembered across restarts (most recent first, no duplicates, at most 10). */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../engine/atomic-file';

export interface RecentFolderStore {
  load(): Promise<string[]>;
  save(folders: string[]): Promise<void>;
}

export const MAX_RECENT = 10;

export async function addRecentFolder(store: RecentFolderStore, folder: string): Promise<void> {
  const list = (await store.load()).filter((f) => f !== folder);
  await store.save([folder, ...list].slice(0, MAX_RECENT));
}

/** A JSON file (the desktop app keeps it in its user-data folder). */
export function fileStore(file: string): RecentFolderStore {
  return {
    async load() {
      try {
        const data: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
        return Array.isArray(data) ? data.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
      } catch {
        return [];
      }
    },
    async save(folders) {
      await fsp.mkdir(path.dirname(file), { recursive: true });
      // whole or not at all: a host killed mid-write must not leave a list that does not parse
      await writeFileAtomic(file, [JSON.stringify(folders)]);
    },
  };
}

export function memoryStore(initial: string[] = []): RecentFolderStore {
  let folders = [...initial];
  return {
    load: async () => [...folders],
    save: async (f) => {
      folders = [...f];
    },
  };
}
