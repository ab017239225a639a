import { useEffect, useState } from 'react';
import { FORMAT_PRESETS, MAX_FORMATS, parseLogFormat } from '../../../shared/log-format';

/**
 * The user's own log formats (§12.5), one per line, tried in order before the built-in ones. A
 * format that cannot be used is not taken: the field keeps the text and says why.
 */
export function LogFormatsField({ formats, onCommit }: { formats: readonly string[]; onCommit: (formats: string[]) => void }) {
  const shown = formats.join('\n');
  const [text, setText] = useState(shown);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText(shown);
    setProblem(null);
  }, [shown]);

  const commit = (next: string): void => {
    const lines = next.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length > MAX_FORMATS) return setProblem(`At most ${MAX_FORMATS} formats.`);
    for (const [i, line] of lines.entries()) {
      const parsed = parseLogFormat(line);
      if (!parsed.ok) return setProblem(`Line ${i + 1} is not used: ${parsed.error}.`);
    }
    setProblem(null);
    if (lines.join('\n') !== shown) onCommit(lines);
  };

  return (
    <div className="log-formats">
      <label>
        Your log formats (one per line; Apache LogFormat or nginx log_format)
        <textarea rows={3} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} onBlur={() => commit(text)} placeholder={'%h %l %u %t "%r" %>s %b'} />
      </label>
      <select
        aria-label="Add a preset format"
        value=""
        onChange={(e) => {
          const preset = FORMAT_PRESETS.find((p) => p.name === e.target.value);
          if (!preset) return;
          const next = text.trim() === '' ? preset.format : `${text.trimEnd()}\n${preset.format}`;
          setText(next);
          commit(next);
        }}
      >
        <option value="">Add a preset…</option>
        {FORMAT_PRESETS.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
      {problem !== null ? <p className="hint problem" role="alert">{problem}</p> : null}
      <p className="hint">JSON lines (Caddy, Traefik, nginx escape=json), combined, common and vhost_combined are read without one.</p>
    </div>
  );
}
