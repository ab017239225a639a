/**
 * A text field that lets the user type freely and is read only when they leave it (or press
 * Enter): parsing on every keystroke dropped the comma being typed in a list and fought
 * select-all + Backspace in a number. A value that does not parse is put back as it was.
 */
import { useEffect, useState } from 'react';

export interface DraftInputProps<T> {
  value: T;
  format: (value: T) => string;
  /** The value, or undefined when the text does not give one. */
  parse: (text: string) => T | undefined;
  onCommit: (value: T) => void;
  multiline?: boolean;
  disabled?: boolean;
  inputMode?: 'numeric' | 'text';
  rows?: number;
}

export function DraftInput<T>({ value, format, parse, onCommit, multiline, disabled, inputMode, rows }: DraftInputProps<T>) {
  const shown = format(value);
  const [text, setText] = useState(shown);
  // a change from elsewhere (Reset, a run loaded on reload) replaces the draft
  useEffect(() => setText(shown), [shown]);
  const commit = (): void => {
    const parsed = parse(text);
    if (parsed === undefined) setText(shown);
    else {
      setText(format(parsed));
      if (format(parsed) !== shown) onCommit(parsed);
    }
  };
  const common = {
    value: text,
    disabled,
    onChange: (e: { target: { value: string } }) => setText(e.target.value),
    onBlur: commit,
    spellCheck: false,
  };
  if (multiline) return <textarea rows={rows ?? 4} {...common} />;
  return (
    <input
      {...common}
      inputMode={inputMode}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}

/** A comma- or newline-separated list; empty entries dropped. */
export function parseList(text: string): string[] {
  return text.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);
}

/** A whole number within [min, max], or undefined. */
export function wholeNumberIn(min: number, max: number): (text: string) => number | undefined {
  return (text) => {
    const t = text.trim();
    if (!/^\d+$/.test(t)) return undefined;
    const n = Number(t);
    return n >= min && n <= max ? n : undefined;
  };
}
