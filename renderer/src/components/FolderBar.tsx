import type { RefObject } from 'react';

/** The header: the folder to read (typed, picked, dropped or recent), the sample, Start / Cancel. */
export function FolderBar({ folder, recent, inputRef, running, offline, starting, onFolder, onChoose, onSample, onStart, onCancel }: {
  folder: string;
  recent: string[];
  inputRef: RefObject<HTMLInputElement | null>;
  running: boolean;
  offline: boolean;
  starting: boolean;
  onFolder: (folder: string) => void;
  onChoose: () => void;
  onSample: () => void;
  onStart: () => void;
  onCancel: () => void;
}) {
  return (
    <header className="top">
      <h1>logpool</h1>
      <form className="folder" onSubmit={(e) => { e.preventDefault(); onStart(); }}>
        <label className="sr-only" htmlFor="folder">Log folder</label>
        <input id="folder" ref={inputRef} list="recent" placeholder="Folder of access logs (plain, gzip, bzip2, xz or zstd)" value={folder} onChange={(e) => onFolder(e.target.value)} disabled={running || offline} spellCheck={false} />
        <datalist id="recent">{recent.map((f) => <option key={f} value={f} />)}</datalist>
        <button type="button" onClick={onChoose} disabled={running || offline}>Choose folder…</button>
        <button type="button" onClick={onSample} disabled={running || offline}>Try sample logs</button>
        {running ? (
          <button type="button" className="danger" disabled={offline} onClick={onCancel}>Cancel</button>
        ) : (
          <button type="submit" className="primary" disabled={!folder.trim() || starting || offline}>Start</button>
        )}
      </form>
    </header>
  );
}
