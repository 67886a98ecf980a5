/** A bar chart of daily values as inline SVG (no script), with a text summary for screen readers. */
export function BarChart(props: { title: string; points: { label: string; value: number; text: string }[] }) {
  const width = 600;
  const height = 160;
  const top = 10;
  const bottom = 20;
  const max = Math.max(1, ...props.points.map((p) => p.value));
  const step = width / Math.max(1, props.points.length);
  const barWidth = Math.max(2, step * 0.7);
  return (
    <figure class="card">
      <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="chart-title">
        <title id="chart-title">{props.title}</title>
        {props.points.map((p, i) => {
          const h = ((height - top - bottom) * p.value) / max;
          return (
            <rect
              class="bar"
              x={(i * step + (step - barWidth) / 2).toFixed(1)}
              y={(height - bottom - h).toFixed(1)}
              width={barWidth.toFixed(1)}
              height={h.toFixed(1)}
            >
              <title>{`${p.label}: ${p.text}`}</title>
            </rect>
          );
        })}
        {props.points.map((p, i) =>
          (i % 7 === 0 && i < props.points.length - 4) || i === props.points.length - 1 ? (
            <text
              x={(i * step + step / 2).toFixed(1)}
              y={height - 5}
              text-anchor={i === props.points.length - 1 ? "end" : i === 0 ? "start" : "middle"}
            >
              {p.label.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption class="muted">{props.title}</figcaption>
    </figure>
  );
}
