/**
 * Closing the window or quitting mid-run stops every worker first. The first quit attempt is
 * held back while the run is cancelled (its workers killed and gone), then quitting goes on.
 */
export interface QuitGuardTarget {
  readonly isRunning: boolean;
  dispose(): Promise<void>;
}

export function makeQuitGuard(target: QuitGuardTarget, quit: () => void): (event: { preventDefault(): void }) => void {
  let stopping = false;
  let stopped = false;
  return (event) => {
    if (stopped || (!target.isRunning && !stopping)) return; // nothing to stop: let it quit
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void target.dispose().finally(() => {
      stopped = true;
      quit();
    });
  };
}
