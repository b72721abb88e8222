/** `npm run dev:web`: the Vite dev server for web/, proxying /api to a `tipline serve` on :8080. */
import { createServer } from 'vite';
import { webViteConfig } from '../src/app/web-build.js';

const server = await createServer(await webViteConfig({ logLevel: 'info' }));
await server.listen();
server.printUrls();
