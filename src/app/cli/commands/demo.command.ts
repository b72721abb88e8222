/**
 * `npx tipline demo`: fills a Tipline (embedded or PostgreSQL) with a synthetic, benign scenario so
 * that the web app has something to show: the viral case of the product brief (about 1,000 Danish
 * 13–17-year-olds sharing one file, labelled as depicting a 15-year-old), a mix of reports from
 * eleven countries with small clusters of shared files, a few escalations, and benign generated
 * images on some reports for the reveal/blur workflow; a Danish route that refers P1 and
 * national_illegal incidents to the Danish unit at once, and the admin a member of every
 * organisation (to tour the agency's inbox). Then it runs the triage, matching and referral jobs
 * until none is left, with progress on stderr, and prints what it made as JSON.
 *
 * Everything is generated: fake people (faker), documentation IP ranges, example.* addresses and
 * generated images. Nothing is downloaded.
 *
 * @example
 *   npx tipline demo                       # 2,000 reports + the viral case of 1,000 sharers
 *   npx tipline demo --reports 200 --sharers 100 --seed 7
 */
import { Readable } from 'node:stream';
import { TiplineError } from '../../../contracts/errors.js';
import type { CyberTipFileClassification, CyberTipIncidentType } from '../../../contracts/cybertip.generated.js';
import type { Principal } from '../../../access/access.service.js';
import { findFirstUserWithRole, listOrganisations } from '../../../access/access.repository.js';
import { addMembership } from '../../../access/access.service.js';
import { referralDeps } from '../../../referral/referral-deps.js';
import { countSentReferrals, listIncidentIdsOfReport, listRoutes } from '../../../referral/referral.repository.js';
import { autoRefer, setRoute } from '../../../referral/routing.service.js';
import { setLabel } from '../../../triage/triage-actions.service.js';
import { changeReportStatus, submitReports, uploadFile, type SubmitResult } from '../../../intake/intake.service.js';
import { intakeDepsFor } from '../../../intake/intake-deps.js';
import { intakeHooksFor } from '../../stage-hooks.js';
import { validateReportSubmission, type ReportSubmission } from '../../../contracts/report.schema.js';
import { allJobs } from '../../workers.js';
import { startWorker } from '../../../platform/jobs/job-runner.js';
import { countJobsByStatus } from '../../../platform/jobs/job.repository.js';
import { listReportFiles } from '../../../intake/report.repository.js';
import { bootstrapIfEmpty, describeCredentials } from '../../bootstrap.service.js';
import { benignImage, benignImageKinds } from '../../../synthetic/benign-image.factory.js';
import { syntheticCountries } from '../../../synthetic/country-profiles.js';
import { mixSeed, mulberry32 } from '../../../synthetic/seeded-random.js';
import { syntheticReportSeries, type SharedFile } from '../../../synthetic/synthetic-report.factory.js';
import { viralScenario } from '../../../synthetic/viral-scenario.factory.js';
import type { CliCommand } from '../command.js';
import { cliError, printJson, withRuntime } from '../runtime-command.js';

const CHUNK = 250;
const WITH_IMAGES = 12;

/** How often each incident type appears in the mix (most reports are about shared files). */
const incidentMix: [CyberTipIncidentType, number][] = [
  ['Child Pornography (possession, manufacture, and distribution)', 70],
  ['Online Enticement of Children for Sexual Acts', 10],
  ['Unsolicited Obscene Material Sent to a Child', 6],
  ['Misleading Words or Digital Images on the Internet', 5],
  ['Child Sex Trafficking', 3],
  ['Child Sexual Molestation', 3],
  ['Misleading Domain Name', 2],
  ['Child Sex Tourism', 1],
];
const classifications: CyberTipFileClassification[] = ['A1', 'A2', 'B1', 'B2'];

function pickWeighted<T>(next: () => number, items: [T, number][]): T {
  const total = items.reduce((n, [, w]) => n + w, 0);
  let u = next() * total;
  for (const [item, w] of items) {
    u -= w;
    if (u < 0) return item;
  }
  return items[items.length - 1][0];
}

function hex(next: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, length);
}

/** The varied part of the scenario: every report drawn from one seed, clusters of 2–8 reports sharing a file. */
export function demoReports(count: number, seed: number): ReportSubmission[] {
  const next = mulberry32(mixSeed(seed, 0xde30));
  const series = syntheticReportSeries();
  const clusters: SharedFile[] = Array.from({ length: Math.max(1, Math.floor(count / 40)) }, () => ({
    md5: hex(next, 32),
    sha1: hex(next, 40),
    sha256: hex(next, 64),
    pdq: hex(next, 64),
  }));
  return Array.from({ length: count }, (_, i) => {
    const incidentType = pickWeighted(next, incidentMix);
    const aboutFiles = incidentType === 'Child Pornography (possession, manufacture, and distribution)';
    const shared = aboutFiles && next() < 0.25 ? clusters[Math.floor(next() * clusters.length)] : undefined;
    return series({
      seed: mixSeed(seed, i + 1),
      country: syntheticCountries[Math.floor(next() * syntheticCountries.length)],
      incidentType,
      files: aboutFiles ? 1 + Math.floor(next() * 3) : next() < 0.3 ? 1 : 0,
      persons: next() < 0.9 ? 1 : 2,
      ipEventsPerPerson: 1 + Math.floor(next() * 3),
      escalate: next() < 0.03,
      ...(aboutFiles ? { classification: classifications[Math.floor(next() * classifications.length)], ageOfVictim: 3 + Math.floor(next() * 15) } : {}),
      ...(shared ? { sharedFile: shared } : {}),
      reportedAge: next() < 0.15 ? { min: 13, max: 17 } : { min: 18, max: 64 },
    });
  });
}

function progress(message: string): void {
  process.stderr.write(`tipline demo: ${message}\n`);
}

function positiveInt(value: string | boolean | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n > max) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `--${name} must be a whole number from 0 to ${max}.` });
  return n;
}

export const demoCommand: CliCommand = {
  options: { reports: { type: 'string' }, sharers: { type: 'string' }, seed: { type: 'string' } },
  run: async (values) => {
    try {
      const reports = positiveInt(values.reports, 'reports', 2000, 200_000);
      const sharers = positiveInt(values.sharers, 'sharers', 1000, 100_000);
      const seed = positiveInt(values.seed, 'seed', 1, 2 ** 31 - 1);
      const summary = await withRuntime('cli demo', async ({ ctx }) => {
        const creds = await bootstrapIfEmpty(ctx, ctx.config.dataDir);
        if (creds) process.stderr.write(describeCredentials(creds, `http://localhost:${ctx.config.port}`));
        const orgs = await listOrganisations(ctx.db);
        const reporter = orgs.find((o) => o.role === 'reporter' && o.clearinghouse_id !== null);
        if (!reporter) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: 'No reporter registered with a clearinghouse: create one with `tipline org create --role reporter --clearinghouse ID`.' });
        const principal: Principal = { kind: 'system', id: 'tipline-demo', orgId: reporter.id, orgRole: 'reporter' };
        // The whole chain to look at: a Danish route from the clearinghouse to the Danish unit that
        // refers P1 and national_illegal incidents at once, and the admin a member of the agency and
        // the intermediary too (the organisation switcher), so that the agency inbox can be toured.
        const clearinghouse = orgs.find((o) => o.id === reporter.clearinghouse_id);
        const agency = orgs.find((o) => o.role === 'agency' && o.country === 'DK');
        if (clearinghouse && agency) {
          const existing = await listRoutes(ctx.db, clearinghouse.id);
          if (!existing.some((r) => r.country === 'DK')) {
            await setRoute(referralDeps(ctx), { kind: 'system', id: 'tipline-demo', orgId: clearinghouse.id }, {
              country: 'DK',
              recipientOrgId: agency.id,
              auto: { outcomes: ['national_illegal'], priorities: ['P1'] },
            });
          }
          const admin = await findFirstUserWithRole(ctx.db, clearinghouse.id, 'admin');
          if (admin) {
            for (const org of orgs.filter((o) => o.role === 'agency' || o.role === 'intermediary')) {
              await addMembership(ctx, { email: admin.email, orgId: org.id, role: 'admin' });
            }
          }
        }
        const deps = intakeDepsFor(ctx, { validate: validateReportSubmission, hooks: intakeHooksFor(ctx) });
        const submit = async (bodies: ReportSubmission[], finish: boolean): Promise<string[]> => {
          const items = bodies.map((body) => ({ body, document: JSON.stringify(body), documentType: 'application/json' as const, source: 'json' as const }));
          let results: SubmitResult[] = [];
          await submitReports(deps, principal, items, { finish, present: (r) => ((results = r), { status: 200, body: null }) });
          const failed = results.filter((r) => !r.ok);
          if (failed.length > 0) throw new TiplineError('TIP_ERR_INPUT_INVALID', { message: `${failed.length} generated reports were refused; this is a bug in the generator.` });
          return results.flatMap((r) => (r.ok ? [r.id] : []));
        };

        const started = Date.now();
        progress(`generating the viral case (${sharers} sharers) and ${reports} other reports (seed ${seed})…`);
        const viral = sharers > 0 ? await viralScenario({ seed, sharers }) : undefined;
        const mix = demoReports(reports, seed);

        const withImages = mix.slice(0, WITH_IMAGES);
        const imageReportIds = await submit(withImages, false);
        for (const [i, id] of imageReportIds.entries()) {
          const image = await benignImage({ seed: mixSeed(seed, 0x1a0 + i), width: 640, height: 480, format: 'jpeg', kind: benignImageKinds[i % benignImageKinds.length] });
          await uploadFile(deps, principal, id, Readable.from([image]), { fileName: `stand-in-${i + 1}.jpg` });
          await changeReportStatus(deps, principal, id, 'finished');
        }
        let done = imageReportIds.length;
        for (let i = WITH_IMAGES; i < mix.length; i += CHUNK) {
          done += (await submit(mix.slice(i, i + CHUNK), true)).length;
          progress(`submitted ${done}/${mix.length} reports`);
        }
        let viralReportId: string | undefined;
        if (viral) {
          [viralReportId] = await submit([viral.viralBatchedReport], true);
          progress(`submitted the viral report #${viralReportId} (${sharers} sharers)`);
        }

        const drain = async (what: string) => {
          progress(what);
          const worker = startWorker(ctx, allJobs(ctx.config), { autoStart: false, concurrency: 2 });
          const tick = setInterval(() => {
            void countJobsByStatus(ctx.db)
              .then((n) => progress(`${(n.pending ?? 0) + (n.running ?? 0)} jobs left`))
              .catch(() => undefined);
          }, 5000);
          try {
            await worker.drain();
          } finally {
            clearInterval(tick);
            await worker.stop();
          }
        };
        await drain('triaging, matching and referring (the same jobs the server runs)…');
        // An analyst at the clearinghouse classifies the viral file as a photograph (the platform's
        // B1 leaves "real or drawn" open): the bundle is re-assessed, and under the Danish pack the
        // 15–17-year-old sharers become actionable and the younger ones a safeguarding matter. It
        // is then referred along the Danish route, as an analyst would, so the agency's inbox shows
        // the split of the product brief's case.
        if (viralReportId && clearinghouse) {
          const chPrincipal: Principal = { kind: 'system', id: 'tipline-demo', orgId: clearinghouse.id, orgRole: 'clearinghouse' };
          const [file] = await listReportFiles(ctx.db, viralReportId);
          if (file) {
            await setLabel({ db: ctx.db }, chPrincipal, { target: { kind: 'file', id: file.id }, facts: { depiction: 'real' }, note: 'Demo: classified as a photograph (synthetic scenario).' });
            await drain('re-assessing the viral bundle after the label…');
            const incidentIds = await listIncidentIdsOfReport(ctx.db, viralReportId);
            await autoRefer(referralDeps(ctx), chPrincipal, { incidentIds }).catch((err: unknown) => progress(`the viral bundle was not referred: ${err instanceof Error ? err.message : String(err)}`));
            await drain('delivering the referral…');
          }
        }
        const failedJobs = (await countJobsByStatus(ctx.db)).failed ?? 0;
        const seconds = Math.round((Date.now() - started) / 100) / 10;
        progress(`done in ${seconds} s`);
        return {
          reporter: { id: reporter.id, name: reporter.name },
          reports: done + (viralReportId ? 1 : 0),
          viralReportId: viralReportId ?? null,
          viralSharers: sharers,
          reportsWithImages: imageReportIds,
          referrals: await countSentReferrals(ctx.db),
          failedJobs,
          seconds,
        };
      });
      printJson(summary);
      return summary.failedJobs > 0 ? 1 : 0;
    } catch (err) {
      return cliError(err);
    }
  },
};
