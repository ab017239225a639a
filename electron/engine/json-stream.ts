/**
 * JSON text of any size, produced piece by piece: `JSON.stringify` of a report with millions of
 * keys fails ("Invalid string length") or holds the whole text in memory. The output is exactly
 * `JSON.stringify(value, null, 2)` for plain data (objects, arrays, strings, numbers, booleans),
 * where a value `expand` gives elements for is written as the array of them (each one small).
 */
export function* jsonPieces(value: unknown, indent = '', expand?: (value: unknown) => Iterable<unknown> | undefined): Generator<string> {
  // a value that stands for elements produced as they are written (millions of keys)
  const elements = expand?.(value);
  if (elements !== undefined) {
    let first = true;
    const inner = `${indent}  `;
    for (const element of elements) {
      yield first ? `[\n${inner}` : `,\n${inner}`;
      first = false;
      // each is small (a key's row): one string, laid out as JSON.stringify lays it out here
      // (a generator per value was most of the time of writing millions of keys)
      yield JSON.stringify(element, null, 2).replace(/\n/g, `\n${inner}`);
    }
    yield first ? '[]' : `\n${indent}]`;
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    const inner = `${indent}  `;
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      yield inner;
      yield* jsonPieces(value[i], inner, expand);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) {
      yield '{}';
      return;
    }
    const inner = `${indent}  `;
    yield '{\n';
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i]!;
      yield `${inner}${JSON.stringify(k)}: `;
      yield* jsonPieces(v, inner, expand);
      yield i < entries.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}}`;
    return;
  }
  yield JSON.stringify(value) ?? 'null';
}
