import type { RefObject } from 'react';

/** The header: the folder to read (typed, picked, dropped or recent), the sample, the Live switch, Start / Cancel / Stop. */
export function FolderBar({ folder, recent, inputRef, running, live, follow, offline, starting, onFollow, onFolder, onChoose, onSample, onStart, onCancel }: {
  folder: string;
  recent: string[];
  inputRef: RefObject<HTMLInputElement | null>;
  /** A run is going: its first pass, or live. */
  running: boolean;
  /** The run's first pass is done and it follows the folder: Stop ends it, keeping what it counted. */
  live: boolean;
  /** The Live switch: the next run follows the folder after its first pass. */
  follow: boolean;
  offline: boolean;
  starting: boolean;
  onFollow: (follow: boolean) => void;
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
        <label className="switch" title="After the run, keep counting what is added to the folder (lines appended, new files, rotation) until Stop">
          <input type="checkbox" role="switch" checked={follow} disabled={running || offline} onChange={(e) => onFollow(e.target.checked)} />
          Live
        </label>
        {live ? (
          <button type="button" className="primary" disabled={offline} onClick={onCancel}>Stop</button>
        ) : running ? (
          <button type="button" className="danger" disabled={offline} onClick={onCancel}>Cancel</button>
        ) : (
          <button type="submit" className="primary" disabled={!folder.trim() || starting || offline}>Start</button>
        )}
      </form>
    </header>
  );
}
