/** A bar chart shared by the screens that draw one (dashboard, event report, survey results). */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BarChartOptions } from './charts';
import { num } from './format';

/**
 * A Chart.js bar chart (the library is loaded on first use), with its numbers also as a table for screen
 * readers; `table={false}` when the screen shows those numbers in a table of its own.
 */
export function BarChart({
  label,
  options,
  table = true,
}: {
  label: string;
  options: BarChartOptions;
  table?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const key = JSON.stringify(options);

  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    import('./charts')
      .then(({ barConfig, createChart }) => {
        if (cancelled || !canvas.current) return;
        chart = createChart(canvas.current, barConfig(options));
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      chart?.destroy();
    };
    // Redrawn when the numbers change, not on every render.
  }, [key]);

  if (options.labels.length === 0) return <p class="muted">Chưa có số liệu.</p>;
  const height = options.horizontal ? Math.max(200, options.labels.length * 28 + 60) : 280;
  return (
    <figure class="chart">
      <div class="chart__box" style={{ height: `${height}px` }}>
        <canvas ref={canvas} role="img" aria-label={label} />
      </div>
      {failed && <p class="muted">Không tải được biểu đồ.</p>}
      {table && (
        <details>
          <summary>Xem dạng bảng</summary>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col"></th>
                  {options.series.map((s) => (
                    <th scope="col" key={s.label} class="num">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {options.labels.map((l, i) => (
                  <tr key={`${l}-${i}`}>
                    <th scope="row">{l}</th>
                    {options.series.map((s) => (
                      <td key={s.label} class="num">
                        {num(s.data[i])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}
