/** The files section: a card per file, one revealed at a time (see use-reveal.ts). */
import type { ReportView } from '../../data/reports.queries.js';
import type { ReportTriage } from '../../data/triage.queries.js';
import { EmptyState } from '../../ui/empty-state.js';
import { FileCard } from './file-card.js';
import type { useReveal } from './use-reveal.js';

export function FilesSection(props: { report: ReportView; triage: ReportTriage | undefined; reveal: ReturnType<typeof useReveal> }) {
  const { report, reveal } = props;
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">Files ({report.files.length})</h2>
      {report.files.length === 0 && <EmptyState>No files.</EmptyState>}
      <ul className="files">
        {report.files.map((f, i) => {
          const label = f.fileName ?? `file ${i + 1}`;
          return (
            <FileCard
              key={f.fileId}
              reportId={report.id}
              file={f}
              label={label}
              triage={props.triage?.files.find((x) => x.fileId === f.fileId)}
              revealedUrl={reveal.revealed?.fileId === f.fileId ? reveal.revealed.url : undefined}
              remaining={reveal.remaining}
              onReveal={() => void reveal.requestReveal(f.fileId, label)}
              onConceal={() => void reveal.conceal('user')}
            />
          );
        })}
      </ul>
    </section>
  );
}
