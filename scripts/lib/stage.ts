export interface StageResult {
  stage: string;
  ok: boolean;
  /** The stage could not run here (a missing system package outside CI); it did not fail. */
  skipped?: boolean;
  detail: string[];
  /** Wall time of the stage (stages may overlap: the live proof runs beside the sweeps). */
  wallMs?: number;
}

/** A self-check stage; `workDir` is where it may write its files. */
export type StageFn = (workDir: string) => Promise<StageResult>;
