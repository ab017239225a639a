/**
 * A query as a worker runs it: filters compiled, path rules compiled, and which parts of a line
 * the panels and filters need (the rest is never read). Built once per worker and query.
 */
import { compileFilters, type CompiledFilters } from '../../../shared/filters';
import type { PanelName } from '../../../shared/panels';
import { derivedPanels, type Query } from '../../../shared/query';
import { LineFilter } from './line-filter';
import { compilePathRules, type PathClassifier } from './path-rules';

export interface QueryPlan {
  readonly query: Query;
  readonly filters: CompiledFilters;
  readonly filter: LineFilter;
  /** The panels counted here: the query's, but those the run reads off another panel (derivedPanels). */
  readonly has: ReadonlySet<PanelName>;
  /** The referer / user-agent pair is read. */
  readonly needPair: boolean;
  /** The exclusion lists are applied (book-paths or paths). */
  readonly needClass: boolean;
  /** The book's path rules and the exclusion lists, compiled. */
  readonly rules: PathClassifier;
  /** The same query as a string: the identity of a plan (and of a block reader's configuration). */
  readonly key: string;
}

let last: QueryPlan | undefined;

export function planQuery(query: Query): QueryPlan {
  if (last !== undefined && last.query === query) return last;
  const compiled = compileFilters(query.filters);
  if (!compiled.ok) throw new Error(`bad filter: ${compiled.error}`);
  const derived = derivedPanels(query);
  const has = new Set(query.panels.filter((name) => !derived.has(name)));
  last = {
    query,
    filters: compiled.value,
    filter: new LineFilter(compiled.value),
    has,
    needPair: has.has('referers') || has.has('user-agents'),
    needClass: has.has('book-paths') || has.has('paths'),
    rules: compilePathRules(query),
    key: JSON.stringify(query),
  };
  return last;
}
