/**
 * A column header's sort button: a click on the active column turns its direction; on another,
 * sorts by it in its natural direction (numbers largest first, names from the top).
 */
export function SortButton({ label, active, descending, onSort }: { label: string; active: boolean; descending: boolean; onSort: () => void }) {
  return (
    <button type="button" className="sort" onClick={onSort}>
      {label}
      <span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ''}</span>
    </button>
  );
}

/** The header's aria-sort for a column. */
export function ariaSortOf(active: boolean, descending: boolean): 'ascending' | 'descending' | 'none' {
  return active ? (descending ? 'descending' : 'ascending') : 'none';
}
