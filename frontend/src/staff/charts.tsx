// Staff charts: bars drawn with CSS (hidden from assistive technology) and the same numbers in a
// table that screen readers read instead, so every figure has a text alternative.

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));

/** A bar chart with the same numbers in a table for screen readers. */
export function BarChart({ title, data }: { title: string; data: [string, number][] }) {
  const max = Math.max(1, ...data.map(([, v]) => v));
  return (
    <figure className="card chart" style={{ margin: 0 }}>
      <figcaption style={{ fontWeight: 600 }}>{title}</figcaption>
      {data.length === 0 && <p className="muted">No data yet.</p>}
      <div aria-hidden="true">
        {data.map(([k, v]) => (
          <div key={k} className="chart-row">
            <span>{k}</span>
            <div className="bar" style={{ width: `${(v / max) * 100}%` }} />
            <span>{fmt(v)}</span>
          </div>
        ))}
      </div>
      {/* The wrapper, not the table, is clipped: a table never shrinks below its content's width. */}
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <tbody>{data.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody>
        </table>
      </div>
    </figure>
  );
}

export type ChartRow = { label: string; values: number[] };

/**
 * Several measures per row (say exposures and users per experiment arm): one bar per measure,
 * each measure scaled to its own maximum, with a table whose column headers name the measures.
 */
export function GroupedBarChart({ title, measures, rows }: { title: string; measures: string[]; rows: ChartRow[] }) {
  const max = measures.map((_, i) => Math.max(1, ...rows.map((r) => r.values[i] ?? 0)));
  return (
    <figure className="card chart" style={{ margin: 0 }}>
      <figcaption style={{ fontWeight: 600 }}>{title}</figcaption>
      {rows.length === 0 && <p className="muted">No data yet.</p>}
      <div aria-hidden="true" className="stack">
        {rows.map((r) => (
          <div key={r.label}>
            <div style={{ fontWeight: 600 }}>{r.label}</div>
            {measures.map((m, i) => (
              <div key={m} className="chart-row">
                <span className="muted">{m}</span>
                <div className={`bar${i % 2 ? " alt" : ""}`} style={{ width: `${((r.values[i] ?? 0) / (max[i] ?? 1)) * 100}%` }} />
                <span>{fmt(r.values[i] ?? 0)}</span>
              </div>
            ))}
          </div>
        ))}
      </div>
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr><th scope="col">Arm</th>{measures.map((m) => <th key={m} scope="col">{m}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}><th scope="row">{r.label}</th>{measures.map((m, i) => <td key={m}>{r.values[i] ?? 0}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
