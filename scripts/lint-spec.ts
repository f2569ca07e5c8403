// Lints openapi.yaml with Redocly CLI (redocly.yaml) and Spectral with the OWASP ruleset (.spectral.yaml), and
// fails on any error or warning from either: a warning is fixed or switched off in the config, with the reason.
// Redocly's own exit code counts only errors, so its JSON report is read here.
import { spawnSync } from 'node:child_process';

const bin = (name: string) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;

interface RedoclyProblem {
  ruleId: string;
  severity: string;
  message: string;
  location?: { pointer?: string }[];
}

// No usage telemetry and no update check: both would call Redocly's servers from every run, CI included.
const quiet = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
const redocly = spawnSync(bin('redocly'), ['lint', 'openapi.yaml', '--format=json'], { encoding: 'utf8', env: quiet });
let redoclyFailed = true;
try {
  const report = JSON.parse(redocly.stdout) as {
    version: string;
    totals: { errors: number; warnings: number };
    problems: RedoclyProblem[];
  };
  for (const p of report.problems) {
    console.log(`  ${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`);
  }
  console.log(`Redocly CLI ${report.version}: ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
  redoclyFailed = report.totals.errors + report.totals.warnings > 0;
} catch {
  console.error(`Redocly CLI did not report:\n${redocly.stderr}`);
}

const spectral = spawnSync(
  bin('spectral'),
  ['lint', 'openapi.yaml', '--ruleset', '.spectral.yaml', '--fail-severity=warn'],
  { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] },
);
console.log(`Spectral (spectral:oas, OWASP API Security 2023): ${spectral.status === 0 ? 'no' : 'some'} problems`);

process.exitCode = redoclyFailed || spectral.status !== 0 ? 1 : 0;
