import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { prefetchForPath } from './data/prefetch.js';
import { queryClient } from './data/query-client.js';
import './styles.css';

// Before React renders anything: the session check and, on the queue, its first page, side by side.
prefetchForPath(queryClient, location);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
