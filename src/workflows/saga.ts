import { log } from "../log";

/** What a step hands on (`output`) and what its undo needs (`undo`). */
export interface StepResponse<Out, Undo> {
  output: Out;
  undo: Undo;
}

/** A step's answer: what it hands on, and what its undo will need. */
export const respond = <Out, Undo>(output: Out, undo: Undo): StepResponse<Out, Undo> => ({ output, undo });

/** One step of a multi-step operation: `run` does it, `compensate` undoes exactly what that run did. */
export interface Step<In, Out, Undo = Out> {
  id: string;
  run(input: In): Promise<StepResponse<Out, Undo>>;
  compensate?(undo: Undo): Promise<void>;
}

export interface SagaOptions {
  /** Asked before undoing: a run that no longer owns the operation must leave it alone. */
  mayCompensate?: () => Promise<boolean>;
  /** Told about each compensation that failed (the others still run). */
  onCompensationError?: (stepId: string, error: unknown) => void;
  /** Called after each step completes (tests inject failures here). */
  afterStep?: (stepId: string) => Promise<void> | void;
}

/** Runs one step of the saga and returns its output; completed steps are remembered for undo. */
export type RunStep = <In, Out, Undo>(step: Step<In, Out, Undo>, input: In) => Promise<Out>;

/**
 * Runs `body`, which calls steps in order through `run`; if anything throws, the completed steps are
 * undone in reverse (each with the undo input its own run returned) and the error is rethrown.
 */
export async function runSaga<T>(options: SagaOptions, body: (run: RunStep) => Promise<T>): Promise<T> {
  const done: { id: string; undo: () => Promise<void> }[] = [];
  const run: RunStep = async (step, input) => {
    const { output, undo } = await step.run(input);
    done.push({ id: step.id, undo: async () => step.compensate?.(undo) });
    await options.afterStep?.(step.id);
    return output;
  };
  try {
    return await body(run);
  } catch (err) {
    if (options.mayCompensate && !(await options.mayCompensate())) throw err;
    for (const { id, undo } of done.reverse()) {
      try {
        await undo();
      } catch (undoErr) {
        log.error("saga.compensation_failed", { step: id, error: undoErr });
        options.onCompensationError?.(id, undoErr);
      }
    }
    throw err;
  }
}
