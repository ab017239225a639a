/**
 * Charts take turns to redraw. A recharts chart re-renders synchronously after each new data
 * (its own store, updated from effects), ~20–60 ms a chart on a slow machine; when a progress
 * message changed every panel, the dashboard's five charts redrew in one task of 70–300 ms, and
 * the page did not answer meanwhile. Here a chart shows new data only in its turn: one chart a
 * task, the next once the last has been drawn, so that input and painting get in between.
 */
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

const waiting: Array<() => void> = [];
let holder: (() => void) | undefined;
let overdue: ReturnType<typeof setTimeout> | undefined;

/** How often a chart redraws at most while a run is going. */
export const RUNNING_GAP_MS = 500;

/** A turn not given back within this long is taken back (a chart that drew nothing, say). */
const TURN_MS = 250;

function giveNext(): void {
  if (holder !== undefined) return;
  clearTimeout(overdue);
  holder = waiting.shift();
  if (holder === undefined) return;
  const mine = holder;
  overdue = setTimeout(() => endTurn(mine), TURN_MS);
  mine();
}

/**
 * The holder of the turn is done: the next one goes after two frames, in a task of its own. The
 * frames come first because a chart appearing or resized is drawn again in the frame after (its
 * container measures itself then); and the page is painted between two charts.
 */
function endTurn(of: () => void): void {
  if (holder !== of) return;
  holder = undefined;
  clearTimeout(overdue);
  requestAnimationFrame(() => requestAnimationFrame(() => afterPending.postMessage(null)));
}

// The chart that held the turn often has renders still due when its turn ends: its size, from a
// ResizeObserver that runs in the frame after it appeared, and its labels, from its store's update
// in an effect. React schedules them as posted messages; a next chart given its turn before they
// ran was rendered with them, in one task. So the next turn waits for a second frame (the
// observers of the first have run by then), then for a posted message, which runs after those
// posted before it (a timer could run first).
const hop = new MessageChannel();
hop.port1.onmessage = giveNext;
const afterPending = hop.port2;

function ask(go: () => void): void {
  waiting.push(go);
  if (holder === undefined) afterPending.postMessage(null);
}

/** Out of the line, and the turn given back if it held it. */
function drop(go: () => void): void {
  const at = waiting.indexOf(go);
  if (at >= 0) waiting.splice(at, 1);
  endTurn(go);
}

/** For a chart's first data to be drawn in its turn too: nothing is drawn before it (useTurn's `before`). */
export const NOTHING_DRAWN: never[] = [];

/**
 * `value` as drawn: the first one at once (or, given `before`, that until the first turn), each
 * later one (unless `same` as what is drawn) in the component's turn, and no sooner than `gapMs` after the last one was drawn (a run's charts need
 * not redraw at every progress message: ten a second, each ~50 ms a chart, kept a core busy).
 * A component waiting keeps its place in the line, and draws in its turn the latest value it was
 * given then (a chart whose numbers change at every message is not sent to the back each time).
 * When `gapMs` drops to 0 (the run ended) a value waiting out its gap goes in line at once.
 */
export function useTurn<T>(value: T, same: (a: T, b: T) => boolean, gapMs = 0, before?: T): T {
  const [drawn, setDrawn] = useState({ value: before === undefined ? value : before, at: 0 });
  const me = useRef<{ latest: T; waiting: boolean; drawing: boolean; go: () => void } | undefined>(undefined);
  me.current ??= {
    latest: value,
    waiting: false,
    drawing: false,
    go: () => {
      const self = me.current!;
      self.waiting = false;
      self.drawing = true;
      // drawn now, in this task, with what the chart's own effects then update (its store, its
      // labels): at the default priority they were drawn in later tasks, a frame or more after,
      // and under load with the next chart's turn
      flushSync(() => setDrawn({ value: self.latest, at: performance.now() }));
    },
  };
  // drawn (this runs after the chart's own effects and their redraw): the turn is over; before
  // the next effect, which must see it over to take a value that came while it was drawing
  useEffect(() => {
    const self = me.current!;
    if (!self.drawing) return;
    self.drawing = false;
    endTurn(self.go);
  }, [drawn]);
  useEffect(() => {
    const self = me.current!;
    self.latest = value;
    if (self.waiting || self.drawing || same(drawn.value, value)) return;
    const wait = drawn.at + gapMs - performance.now();
    if (wait <= 0) {
      self.waiting = true;
      ask(self.go);
      return;
    }
    // this effect runs again when the gap is over, or when the value or the gap changes first
    const timer = setTimeout(() => setDrawn((d) => ({ ...d })), wait);
    return () => clearTimeout(timer);
    // (`same` is a module's function: not a dependency)
  }, [value, drawn, gapMs]);
  // unmounted while waiting or drawing: out of the line, the turn given back
  useEffect(() => {
    const self = me.current!;
    return () => {
      drop(self.go);
      self.waiting = self.drawing = false;
    };
  }, []);
  return drawn.value;
}

/**
 * The latest `value`, in a box that is the same from render to render: a chart handed the box
 * (and reading it when clicked) is not drawn again when only its parent's handler changed or came
 * (the dashboard's handlers come as a run ends, and every chart redrew at once then).
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const box = useRef(value);
  useEffect(() => {
    box.current = value;
  }, [value]);
  return box;
}
