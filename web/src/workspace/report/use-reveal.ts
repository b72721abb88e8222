/**
 * Least exposure for a report's files: one file at a time is shown in the clear, by a deliberate
 * request, and blurred again after REVEAL_SECONDS, when the analyst asks, when another file is
 * revealed, when the page is left or the tab hidden. Every reveal and every re-blur is a call the
 * server counts towards the reviewer's exposure and writes to the custody log (with how long the
 * image was shown and why it was blurred); the header's meter and the custody trail follow. Over
 * the day's exposure limit a reveal waits for the analyst to confirm (`pending`).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { exposureChanged, fetchExposure, type ExposureSummary } from '../../data/exposure.queries.js';
import { concealFile, refreshCustody, revealFile, type ConcealReason } from '../../data/reports.queries.js';

/** How long a revealed image stays clear before it is blurred again. */
export const REVEAL_SECONDS = 10;

/** Whole seconds left of a reveal that started at `since` (never below 0). Pure. */
export function secondsLeft(since: number, now: number, total = REVEAL_SECONDS): number {
  return Math.max(0, total - Math.floor((now - since) / 1000));
}

export interface Revealed {
  fileId: string;
  url: string;
  since: number;
}

export interface PendingReveal {
  fileId: string;
  label: string;
  exposure: ExposureSummary;
}

export function useReveal(reportId: string, announce: (message: string) => void) {
  const client = useQueryClient();
  const [revealed, setRevealed] = useState<Revealed | undefined>();
  const [remaining, setRemaining] = useState(0);
  const [pending, setPending] = useState<PendingReveal | undefined>();
  // The reveal as of now, for the callbacks that outlive a render (timer, unmount, visibility).
  const current = useRef<Revealed | undefined>(undefined);
  const say = useRef(announce);
  say.current = announce;

  const conceal = useCallback(
    async (reason: ConcealReason) => {
      const shown = current.current;
      if (!shown) return;
      current.current = undefined;
      setRevealed(undefined);
      URL.revokeObjectURL(shown.url);
      say.current('The image is blurred again.');
      await concealFile(reportId, shown.fileId, Date.now() - shown.since, reason);
      void exposureChanged(client);
      if (reason !== 'navigation') await refreshCustody(client, reportId).catch(() => undefined);
    },
    [client, reportId],
  );

  const reveal = useCallback(
    async (fileId: string) => {
      if (current.current) await conceal('other-reveal');
      try {
        const url = await revealFile(reportId, fileId);
        const r = { fileId, url, since: Date.now() };
        current.current = r;
        setRevealed(r);
        setRemaining(REVEAL_SECONDS);
        say.current(`The image is shown for ${REVEAL_SECONDS} seconds, then blurred again.`);
        void exposureChanged(client);
        await refreshCustody(client, reportId);
      } catch {
        say.current('The file could not be shown.');
      }
    },
    [client, conceal, reportId],
  );

  /** A deliberate click on Reveal: over the day's exposure limit, ask first. */
  const requestReveal = useCallback(
    async (fileId: string, label: string) => {
      const exposure = await fetchExposure(client).catch(() => undefined);
      if (exposure?.overLimit) {
        setPending({ fileId, label, exposure });
        return;
      }
      await reveal(fileId);
    },
    [client, reveal],
  );

  /** The analyst's answer to the over-limit question. */
  const answerPending = useCallback(
    async (go: boolean) => {
      const p = pending;
      setPending(undefined);
      if (go && p) await reveal(p.fileId);
    },
    [pending, reveal],
  );

  // The countdown, and the automatic re-blur at its end.
  useEffect(() => {
    if (!revealed) return;
    const timer = setInterval(() => {
      const left = secondsLeft(revealed.since, Date.now());
      setRemaining(left);
      if (left <= 0) void conceal('timer');
    }, 250);
    return () => clearInterval(timer);
  }, [revealed, conceal]);

  // Leaving the page (or hiding the tab) blurs (and records) whatever was shown.
  useEffect(() => () => void conceal('navigation'), [conceal]);
  useEffect(() => {
    const hide = () => {
      if (document.visibilityState === 'hidden') void conceal('navigation');
    };
    document.addEventListener('visibilitychange', hide);
    return () => document.removeEventListener('visibilitychange', hide);
  }, [conceal]);

  return { revealed, remaining, pending, requestReveal, answerPending, conceal, cancelPending: () => setPending(undefined) };
}
