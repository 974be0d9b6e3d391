import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistorySeries } from './history.ts';

const HEIGHT = 220;

/**
 * Tasks waiting and service level over the last hour, as a live chart (uPlot); the figures are also given as text
 * for screen readers, who cannot read the canvas.
 */
export function HistoryChart(props: { series: HistorySeries; thresholdSeconds: number }) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = holder.current!;
    const chart = new uPlot(options(element.clientWidth), props.series, element);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(props.series);
  }, [props.series]);

  const [, waiting, levels] = props.series;
  const lastLevel = [...levels].reverse().find((l) => l !== null);
  return (
    <section class="card board-section" aria-labelledby="history-title">
      <h2 id="history-title">Last hour</h2>
      <div ref={holder} class="history-chart" aria-hidden="true" />
      <p class="visually-hidden">
        Tasks waiting now: {waiting[waiting.length - 1] ?? 0}, at most {Math.max(0, ...waiting)} in the last hour. Service level (accepted within{' '}
        {props.thresholdSeconds} s, over the 30 minutes before each point): {lastLevel === undefined ? 'no wait ended' : `${lastLevel}%`}.
      </p>
    </section>
  );
}

function options(width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, waiting: { range: (_u, _min, max) => [0, Math.max(4, max)] }, level: { range: [0, 100] } },
    series: [
      {},
      { label: 'Tasks waiting', scale: 'waiting', stroke: '#1f6feb', width: 2, fill: 'rgba(31, 111, 235, 0.08)', paths: uPlot.paths.stepped?.({ align: 1 }) },
      { label: 'Service level %', scale: 'level', stroke: '#1a7f37', width: 2, points: { show: true, size: 4 } },
    ],
    axes: [{}, { scale: 'waiting', label: 'Waiting', size: 50 }, { scale: 'level', side: 1, label: 'SL %', size: 50, grid: { show: false } }],
  };
}
