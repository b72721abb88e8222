/**
 * The hooks by which a stage's requests reach another stage's services, wired here at the
 * assembly point so that stages never import each other (durable work goes through job
 * contracts instead; see workers.ts).
 *
 * @example
 *   await app.register(reportRoutes, { ctx, metrics, hooks: intakeHooksFor(ctx) });
 */
import { fileMatchesById } from '../analysis/bank/bank-match.service.js';
import { pdqOfImageOrUndefined } from '../analysis/pdq/pdq-image.js';
import type { IntakeHooks } from '../intake/intake-deps.js';
import type { AppContext } from '../platform/app-context.js';
import { referralDeps } from '../referral/referral-deps.js';
import { answerFromPublicReporter } from '../referral/reporter-questions.service.js';

/** What intake asks of analysis (the PDQ of bytes not kept) and referral (a public reporter's answer). */
export function intakeHooksFor(ctx: AppContext): IntakeHooks {
  return {
    hashDiscardedImage: pdqOfImageOrUndefined,
    fileMatches: (fileIds) => fileMatchesById(ctx.db, fileIds),
    onPublicReporterMessage: async (reportId, text) => {
      await answerFromPublicReporter(referralDeps(ctx), reportId, text);
    },
  };
}
