export interface StageResult {
  stage: string;
  ok: boolean;
  detail: string[];
}

/** A self-check stage; `workDir` is where it may write its files. */
export type StageFn = (workDir: string) => Promise<StageResult>;
