// `npm run mock`: the mock server (see mock-app.ts) on PORT, 4010 unless set, so it can run beside the API.
import { ConfigError, loadConfig } from '../config.js';
import { buildMockApp } from './mock-app.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig({ ...process.env, PORT: process.env.PORT ?? '4010', DATABASE_URL: ':memory:' });
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
const app = await buildMockApp(config);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
await app.listen({ port: config.port, host: config.host });
