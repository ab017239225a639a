import { useCallback, useEffect, useRef, useState } from 'react';
import type { FolderListing } from '../../../shared/app-contract';
import { int } from '../../../shared/format';
import type { Api } from '../hooks/use-logpool';

/**
 * The browser host's "Choose folder…": a dialog served by the host that walks the folders of the
 * machine it runs on (folders only; files are counted, not named), from the folder given on the
 * command line or the home folder, with the recent folders a click away.
 */
export function FolderBrowser({ api, from, recent, onChoose, onClose }: {
  api: Api;
  from: string | undefined;
  recent: string[];
  onChoose: (folder: string) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [listing, setListing] = useState<FolderListing>();
  const [error, setError] = useState<string>();
  const [typed, setTyped] = useState('');

  const open = useCallback(
    async (path: string | undefined) => {
      const r = await api.request(path === undefined ? { type: 'list-folder' } : { type: 'list-folder', path });
      if ('error' in r) {
        setError(r.error);
        return false;
      }
      setError(undefined);
      setListing(r);
      setTyped(r.path);
      return true;
    },
    [api],
  );

  useEffect(() => {
    dialog.current?.showModal();
    // a typed folder that cannot be listed: say why, and open where the host starts
    void open(from).then((ok) => {
      if (!ok && from !== undefined) void open(undefined);
    });
  }, [open, from]);

  const join = (name: string): string => {
    const base = listing!.path;
    const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
    return base.endsWith(sep) ? base + name : base + sep + name;
  };

  return (
    <dialog ref={dialog} className="folder-browser" aria-label="Choose a folder" onClose={onClose}>
      <h2 className="browse-title">Choose a folder <span className="muted">on the machine running logpool serve</span></h2>
      <form
        className="browse-path"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) void open(typed.trim());
        }}
      >
        <button type="button" aria-label="Parent folder" title="Parent folder" disabled={!listing?.parent} onClick={() => listing?.parent && void open(listing.parent)}>↑</button>
        <label className="sr-only" htmlFor="browse-path">Folder</label>
        <input id="browse-path" value={typed} onChange={(e) => setTyped(e.target.value)} spellCheck={false} />
        <button type="submit">Go</button>
      </form>
      {error && <p className="bad browse-error" role="alert">{error}</p>}
      <div className="browse-body">
        <ul className="browse-list" aria-label="Folders">
          {listing?.folders.map((name) => (
            <li key={name}>
              <button type="button" className="link" onClick={() => void open(join(name))}>{name}/</button>
            </li>
          ))}
          {listing && listing.folders.length === 0 && <li className="muted">No folders inside.</li>}
          {listing?.truncated && <li className="muted">… more folders than are shown: type the path.</li>}
        </ul>
        {recent.length > 0 && (
          <ul className="browse-recent" aria-label="Recent folders">
            <li className="muted">Recent</li>
            {recent.map((f) => (
              <li key={f}>
                <button type="button" className="link" title={f} onClick={() => void open(f)}>{f}</button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="browse-foot">
        <span className="muted">{listing ? `${int(listing.files)} ${listing.files === 1 ? 'file' : 'files'} in ${listing.path}` : 'Loading…'}</span>
        <button type="button" onClick={() => dialog.current?.close()}>Cancel</button>
        <button
          type="button"
          className="primary"
          disabled={!listing}
          onClick={() => {
            if (!listing) return;
            onChoose(listing.path);
            dialog.current?.close();
          }}
        >
          Use this folder
        </button>
      </div>
    </dialog>
  );
}
