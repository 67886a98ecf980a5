/** One step of a multi-step operation: `run` returns what `compensate` needs to undo it. */
export interface Step<Ctx, Out = unknown> {
  id: string;
  run(ctx: Ctx): Promise<Out>;
  compensate?(ctx: Ctx, output: Out): Promise<void>;
}

export interface SagaOptions {
  /** Asked before undoing: a run that no longer owns the operation must leave it alone. */
  mayCompensate?: () => Promise<boolean>;
  /** Told about each compensation that failed (the others still run). */
  onCompensationError?: (stepId: string, error: unknown) => void;
}

/** Runs steps in order; if one throws, undoes the completed ones in reverse and rethrows. */
export async function runSaga<Ctx>(steps: readonly Step<Ctx, any>[], ctx: Ctx, options: SagaOptions = {}): Promise<void> {
  const done: { step: Step<Ctx, unknown>; output: unknown }[] = [];
  for (const step of steps) {
    try {
      done.push({ step, output: await step.run(ctx) });
    } catch (err) {
      if (options.mayCompensate && !(await options.mayCompensate())) throw err;
      for (const { step: previous, output } of done.reverse()) {
        try {
          await previous.compensate?.(ctx, output);
        } catch (undoErr) {
          console.error(
            JSON.stringify({ level: "error", msg: "compensation failed", step: previous.id, failedStep: step.id, error: String(undoErr) }),
          );
          options.onCompensationError?.(previous.id, undoErr);
        }
      }
      throw err;
    }
  }
}
