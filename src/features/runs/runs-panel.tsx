/**
 * The Runs region of a flow page (console.md "The Runs panel"). Its list, `Start run` form and polling come with
 * the runs API; until then it tells how a run is started.
 */
export function RunsPanel({ flowId }: { flowId: number }) {
  return (
    <section className="runs-panel" aria-labelledby={`runs-${flowId}`}>
      <h2 id={`runs-${flowId}`}>Runs</h2>
      <p className="hint">No runs to show yet. Start one with Run now on the data source or a data set.</p>
    </section>
  )
}
