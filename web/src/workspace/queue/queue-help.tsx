/** The queue's shortcut line under the bulk bar, and the longer list behind "more shortcuts (?)". */

export function QueueHelp(props: { open: boolean; onToggle: () => void }) {
  return (
    <>
      <p id="queue-help-text" className="queue-help">
        <kbd>j</kbd>/<kbd>k</kbd> or <kbd>↓</kbd>/<kbd>↑</kbd> move · <kbd>Enter</kbd> open · <kbd>x</kbd> select · <kbd>a</kbd> assign to me ·{' '}
        <kbd>Esc</kbd> clear selection ·{' '}
        <button type="button" className="link-button" aria-expanded={props.open} aria-controls="queue-help-more" onClick={props.onToggle}>
          more shortcuts (<kbd>?</kbd>)
        </button>
      </p>
      {props.open && (
        <ul id="queue-help-more" className="queue-help-more">
          <li>
            <kbd>/</kbd> go to the filters; <kbd>Esc</kbd> in a field returns to the table
          </li>
          <li>
            <kbd>r</kbd> refresh the queue; counts refresh by themselves every 15 seconds
          </li>
          <li>
            <kbd>a</kbd> assigns the selected reports to you, or the current one when none is selected
          </li>
          <li>Bulk actions change each report on its own: the Result column shows what happened to each.</li>
        </ul>
      )}
    </>
  );
}
