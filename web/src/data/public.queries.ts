/**
 * The public pages' calls: a report from a member of the public (answered with a receipt code), and
 * following it up with that code (read the analysts' messages, answer). No session: the receipt
 * code is the only key, sent in the body so that it never lands in a URL or a log.
 */
import { useMutation } from '@tanstack/react-query';
import { api } from './api-client.js';

export interface PublicMessage {
  id: string;
  author: 'reporter' | 'analyst';
  body: string;
  at: string;
}
export interface FollowUpView {
  reference: string;
  status: 'received' | 'withdrawn';
  submittedAt: string;
  messages: PublicMessage[];
}

export interface PublicRoutes {
  'POST /api/v1/public/reports': { body: Record<string, unknown>; response: { receipt: string } };
  'POST /api/v1/public/follow-up': { body: { receipt: string }; response: FollowUpView };
  'POST /api/v1/public/follow-up/messages': { body: { receipt: string; body: string }; response: unknown };
}

export function useSubmitPublicReport() {
  return useMutation({ mutationFn: (body: Record<string, unknown>) => api('POST /api/v1/public/reports', { body }) });
}

/** Opens the follow-up of a receipt code (a POST: the code stays out of URLs). */
export function useOpenFollowUp() {
  return useMutation({ mutationFn: (receipt: string) => api('POST /api/v1/public/follow-up', { body: { receipt } }) });
}

/** Sends the reporter's answer and returns the thread as it is now. */
export function useAnswerFollowUp() {
  return useMutation({
    mutationFn: async (v: { receipt: string; body: string }) => {
      await api('POST /api/v1/public/follow-up/messages', { body: v });
      return api('POST /api/v1/public/follow-up', { body: { receipt: v.receipt } });
    },
  });
}
