/**
 * Text from logs and file names, made safe to print: control characters are shown as escapes,
 * never sent raw. A key holding `ESC[2J` once cleared the user's screen, and a file name with a
 * newline could forge a line of the report. The JSON and CSV outputs keep the exact text.
 */

// C0 controls, DEL, C1 controls, and the bidirectional overrides and isolates (which reorder
// what follows them on the line)
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
