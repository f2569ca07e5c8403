// What the API must achieve against the same-contract baseline (issue 20), in one place for the bench and its
// report. A ratio is the API's requests per second over the baseline's, and the baseline's CPU per request over
// the API's: above 1 the API is the faster, and both must reach the target.

/** The least each ratio may be, per scenario. */
export const targets: Record<string, number> = {
  getStore: 1.25,
  'getItem (304)': 1.25,
  listItems: 1.1,
  createItem: 1.0,
};

/** The most a scenario's p99 may be, as a multiple of its p50 (the API's, median rounds). */
export const tailTarget = 4;

/** The most resident memory the API may reach over the whole run, in MiB. */
export const rssTargetMiB = 150;

/** The most the default production log level (info) may add to the API's CPU per request, against `warn`. */
export const logLevelCostTarget = 0.1;

/** The most start-up to the first answer may take, in ms. */
export const startupTargetMs = 1000;
