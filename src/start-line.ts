import { demoUser } from './demo/demo-data.js';

export type DemoState = 'loaded' | 'kept' | 'off';

/**
 * The one line a person reads when the server starts (the JSON log lines are for machines): where the API and
 * its docs are, and in development what demo data there is and how to sign in to change it.
 */
export function startLine(address: string, demo: DemoState): string {
  const base = address.replace('://[::1]', '://localhost').replace('://0.0.0.0', '://localhost');
  const demoNote =
    demo === 'off'
      ? 'no demo data'
      : `demo data ${demo === 'loaded' ? 'loaded' : 'already there'}; sign in as ${demoUser.email} / ${demoUser.password} to change it`;
  return `Stores API listening on ${base}: docs at ${base}/docs, ${demoNote}.`;
}
