/** Setup of the web app's unit tests (happy-dom): each test starts from an empty document and the real `fetch`. */
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
