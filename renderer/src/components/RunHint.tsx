import type { RunState } from '../run-state';
import { int } from '../../../shared/format';

/**
 * What a finished run that counted nothing means, and what to do: no file matched the patterns,
 * or files were read and no line was in a format logpool knows (with the first such line).
 */
export function RunHint({ run }: { run: RunState }) {
  const t = run.totals;
  if (!t || run.phase !== 'completed') return null;
  if (t.files === 0) {
    return (
      <div className="hint-box" role="status">
        <strong>No log files here.</strong> No file in <code>{run.settings.folder}</code> matched the file names ({run.settings.patterns.join(', ')}). Check
        the folder, or widen <em>File names</em> in the settings.
      </div>
    );
  }
  if (t.lines === 0) {
    return (
      <div className="hint-box" role="status">
        <strong>No lines read.</strong> {int(t.files)} {t.files === 1 ? 'file' : 'files'} found ({int(t.failed)} failed, {int(t.skipped)} skipped, the rest empty): the Files table below says why for each.
      </div>
    );
  }
  if (t.parsed === 0) {
    const sample = run.files.find((f) => f.firstMalformed !== undefined)?.firstMalformed;
    return (
      <div className="hint-box" role="status">
        <strong>No line in a known format.</strong> {int(t.files)} {t.files === 1 ? 'file' : 'files'} read, {int(t.lines)} lines, none of them an access log line logpool
        reads (combined, vhost_combined, JSON from Caddy, Traefik or nginx).
        {sample !== undefined && (
          <>
            {' '}The first: <code className="sample">{JSON.stringify(sample)}</code>
          </>
        )}{' '}
        If these are access logs in a format of your own, add it under <em>Your log formats</em> (Apache LogFormat or nginx log_format) and run again.
      </div>
    );
  }
  if (t.parsed > 0 && t.filtered === t.parsed) {
    return (
      <div className="hint-box" role="status">
        <strong>Every line was filtered out.</strong> {int(t.parsed)} lines were read and none passed the filters: remove a filter to see them.
      </div>
    );
  }
  return null;
}
