// executor.json: tells Allure which CI build produced the results, so the report's overview shows
// "Executors" with a link back to the build, and each point of the trend charts links to its build.
// Written only in CI: a local report has no build to link to. Built from each CI's standard
// variables only (no settings of our own), so any pipeline gets it without configuration.

/** The fields Allure 2 reads from executor.json (all optional for Allure; undefined ones are left out). */
export interface AllureExecutor {
  name: string;
  type: string;
  url?: string;
  /** Orders the trend charts; Allure expects a number that grows from build to build. */
  buildOrder?: number;
  buildName?: string;
  buildUrl?: string;
  reportName?: string;
  reportUrl?: string;
}

export const REPORT_NAME = 'FreeClimb conference conformance';

const truthy = (v: string | undefined) => v !== undefined && /^(true|1|yes)$/i.test(v);
const int = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
const join = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined && p !== '').join(' ');
/** Drops undefined and empty fields, so executor.json holds only what the CI told us. */
function compact(e: AllureExecutor): AllureExecutor {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined && v !== '')) as unknown as AllureExecutor;
}

/** The executor for the CI this process runs in, or undefined outside CI. Pure: reads only `env`. */
export function executorFromEnv(env: NodeJS.ProcessEnv): AllureExecutor | undefined {
  if (truthy(env.GITHUB_ACTIONS)) {
    const repoUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : undefined;
    const attempt = int(env.GITHUB_RUN_ATTEMPT);
    // A re-run keeps the run id and number; its attempt has its own page.
    const runUrl = repoUrl && env.GITHUB_RUN_ID ? `${repoUrl}/actions/runs/${env.GITHUB_RUN_ID}${attempt && attempt > 1 ? `/attempts/${attempt}` : ''}` : undefined;
    return compact({
      name: 'GitHub Actions',
      type: 'github',
      url: repoUrl ? `${repoUrl}/actions` : undefined,
      buildOrder: int(env.GITHUB_RUN_NUMBER),
      buildName: join(env.GITHUB_WORKFLOW, env.GITHUB_RUN_NUMBER && `#${env.GITHUB_RUN_NUMBER}`, attempt && attempt > 1 ? `(attempt ${attempt})` : undefined, env.GITHUB_JOB && `· ${env.GITHUB_JOB}`) || undefined,
      buildUrl: runUrl,
      reportName: REPORT_NAME,
    });
  }
  if (truthy(env.GITLAB_CI)) {
    // The project-scoped IID grows per project; the instance-wide ID is the fallback.
    const iid = env.CI_PIPELINE_IID ?? env.CI_PIPELINE_ID;
    return compact({
      name: 'GitLab CI',
      type: 'gitlab',
      url: env.CI_PROJECT_URL,
      buildOrder: int(iid),
      buildName: join(env.CI_PROJECT_PATH, iid && `pipeline #${iid}`, env.CI_JOB_NAME && `· ${env.CI_JOB_NAME}`) || undefined,
      buildUrl: env.CI_JOB_URL || env.CI_PIPELINE_URL,
      reportName: REPORT_NAME,
    });
  }
  if (env.JENKINS_URL) {
    return compact({
      name: 'Jenkins',
      type: 'jenkins',
      url: env.JENKINS_URL,
      buildOrder: int(env.BUILD_NUMBER),
      buildName: join(env.JOB_NAME, env.BUILD_NUMBER && `#${env.BUILD_NUMBER}`) || undefined,
      buildUrl: env.BUILD_URL,
      reportName: REPORT_NAME,
    });
  }
  // Any other CI that follows the CI=true convention: we know only that it is one.
  if (truthy(env.CI)) return { name: 'CI', type: 'ci', reportName: REPORT_NAME };
  return undefined;
}
