/** `npm run build:web` (and the `prepare` step of `npm install`): builds web/ into web/dist. */
import { buildWeb } from '../src/app/web-build.js';

const started = Date.now();
await buildWeb();
process.stdout.write(`web app built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
