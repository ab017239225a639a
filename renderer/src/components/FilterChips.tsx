import type { QueryFilters, FilterName } from '../../../shared/filters';
import { filterChips } from '../dashboard-filters';

/**
 * The filters of the settings as removable chips (removing one re-runs), and whether the result
 * on screen still answers the settings.
 */
export function FilterChips({ filters, stale, disabled, onRemove, onRerun }: { filters: QueryFilters; stale: boolean; disabled: boolean; onRemove: (name: FilterName) => void; onRerun: () => void }) {
  const chips = filterChips(filters);
  return (
    <div className="chips" role="group" aria-label="Active filters">
      <span className="muted">Filters:</span>
      {chips.length === 0 && <span className="muted">none (click a status, method, host or path, or drag across the time chart)</span>}
      {chips.map((c) => (
        <span key={c.name} className="chip">
          {c.label} <strong>{c.value}</strong>
          <button type="button" className="chip-x" disabled={disabled} aria-label={`Remove the ${c.label} filter`} onClick={() => onRemove(c.name)}>×</button>
        </span>
      ))}
      {stale && (
        <span className="stale" role="status">
          The result below is from other settings.{' '}
          <button type="button" className="link" disabled={disabled} onClick={onRerun}>Run again</button>
        </span>
      )}
    </div>
  );
}
