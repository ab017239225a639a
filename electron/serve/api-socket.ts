/**
 * One client's WebSocket to the browser host's API: `{id, request}` in, `{id, response}` out,
 * events pushed as `{event}`. Everything that arrives is untrusted: a binary or malformed message
 * closes the socket with a code (the real client never sends one), a request that fails answers an
 * error, and nothing a client sends can throw out of here. A client that stops reading is cut off
 * rather than buffered without end.
 */
import type { WebSocket } from 'ws';

export interface ApiSocketLimits {
  /** Requests one socket may have unanswered at once. */
  maxPending: number;
  /** Bytes queued for a client that is not reading, before it is cut off. */
  maxBuffered: number;
}

export const DEFAULT_SOCKET_LIMITS: ApiSocketLimits = { maxPending: 16, maxBuffered: 64 * 1024 * 1024 };

// RFC 6455 close codes
const UNSUPPORTED_DATA = 1003;
const POLICY_VIOLATION = 1008;

type Handler = (request: unknown) => Promise<unknown>;

/** Send text to a client if it is open and keeping up; cut it off if it is not. */
export function sendText(ws: WebSocket, text: string, limits: ApiSocketLimits = DEFAULT_SOCKET_LIMITS): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > limits.maxBuffered) {
    ws.terminate();
    return;
  }
  ws.send(text);
}

function encode(id: number, response: unknown): string {
  try {
    return JSON.stringify({ id, response });
  } catch (e) {
    return JSON.stringify({ id, response: { error: `the answer could not be sent: ${e instanceof Error ? e.message : String(e)}` } });
  }
}

function readMessage(text: string): { id: number; request: unknown } | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { id, request } = message as { id?: unknown; request?: unknown };
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return undefined;
  return { id, request };
}

/** How long a client told to go has to answer the close before its socket is cut. */
const CLOSE_GRACE_MS = 500;

function closeWith(ws: WebSocket, code: number, reason: string): void {
  ws.close(code, reason);
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}

export function serveApiSocket(ws: WebSocket, handle: Handler, limits: ApiSocketLimits = DEFAULT_SOCKET_LIMITS): void {
  let pending = 0;
  // a malformed frame, a message over the size limit, a reset connection: ws closes the socket
  // itself; without a listener the error would be thrown and stop the host
  ws.on('error', () => ws.terminate());
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      closeWith(ws, UNSUPPORTED_DATA, 'text messages only');
      return;
    }
    const message = readMessage(data.toString());
    if (!message) {
      closeWith(ws, POLICY_VIOLATION, 'a message is {"id": n, "request": {...}}');
      return;
    }
    if (pending >= limits.maxPending) {
      sendText(ws, encode(message.id, { error: `at most ${limits.maxPending} requests at once` }), limits);
      return;
    }
    pending++;
    handle(message.request)
      .catch((e: unknown) => ({ error: `internal error: ${e instanceof Error ? e.message : String(e)}` }))
      .then((response) => sendText(ws, encode(message.id, response), limits))
      .catch(() => ws.terminate())
      .finally(() => pending--);
  });
}
