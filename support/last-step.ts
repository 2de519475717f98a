// Run something inside a scenario's last step (Allure takes a scenario's status and attachments
// from its steps, not from its hooks). Cucumber's setDefinitionFunctionWrapper passes only
// (fn, wrapperOptions): it cannot tell a step from a hook by itself, so a BeforeStep hook marks
// that the next wrapped call is a step, and an AfterStep hook clears the mark (an undefined step
// is never called). The two marker hooks opt out of the wrapper through wrapperOptions.
import { AfterStep, BeforeStep, setDefinitionFunctionWrapper } from '@cucumber/cucumber';

export interface StepCountingWorld {
  stepPending?: boolean;
  stepsRun: number;
  stepCount: number;
}

export interface LastStepHandlers<W> {
  /** After the last step passed (a step returning 'skipped' or 'pending' does not count). */
  afterLastStep(world: W): Promise<void>;
  /** When any step throws, before the error goes to Cucumber. */
  onStepError?(world: W, error: Error): Promise<void>;
}

const MARKER = { wrapperOptions: { marker: true } } as { timeout?: number };

export function wrapSteps<W extends StepCountingWorld>(handlers: LastStepHandlers<W>): void {
  BeforeStep(MARKER, function (this: W) {
    this.stepPending = true;
  });
  AfterStep(MARKER, function (this: W) {
    this.stepPending = false;
  });
  setDefinitionFunctionWrapper(function (fn: (...args: unknown[]) => unknown, options?: { marker?: boolean }) {
    if (options?.marker) return fn;
    const wrapped = async function (this: W | undefined, ...args: unknown[]) {
      const isHookCall = typeof args[0] === 'object' && args[0] !== null && 'pickle' in args[0];
      if (!this || !this.stepPending || isHookCall) return fn.apply(this, args);
      this.stepPending = false;
      let result: unknown;
      try {
        result = await fn.apply(this, args);
      } catch (e) {
        await handlers.onStepError?.(this, e as Error);
        throw e;
      }
      this.stepsRun += 1;
      if (this.stepsRun === this.stepCount && result === undefined) await handlers.afterLastStep(this);
      return result;
    };
    // Cucumber reads the arity to tell data-table and doc-string arguments from a callback.
    Object.defineProperty(wrapped, 'length', { value: fn.length });
    return wrapped;
  });
}
