/**
 * Dashboard charts with Chart.js. Why Chart.js: canvas rendering keeps long daily series cheap, it has
 * stacked and horizontal bars, tooltips and legends built in, and since v3 it is tree-shakable: only the
 * controllers, elements, scales and plugins registered below end up in the bundle (bar charts only).
 * Animations are off for people who ask their system for reduced motion. This module is loaded on
 * demand by the screens that draw a chart (bar-chart.tsx), so other screens never download it.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#333';
Chart.defaults.maintainAspectRatio = false;
if (matchMedia('(prefers-reduced-motion: reduce)').matches) Chart.defaults.animation = false;

export const PALETTE = [
  '#b71c1c',
  '#1565c0',
  '#2e7d32',
  '#ef6c00',
  '#6a1b9a',
  '#00838f',
  '#5d4037',
  '#546e7a',
];

export interface BarSeries {
  label: string;
  data: number[];
}

export interface BarChartOptions {
  labels: string[];
  series: BarSeries[];
  stacked?: boolean;
  horizontal?: boolean;
}

export function barConfig({
  labels,
  series,
  stacked,
  horizontal,
}: BarChartOptions): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.data,
        backgroundColor: PALETTE[i % PALETTE.length],
        borderRadius: 2,
        maxBarThickness: 48,
      })),
    },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      responsive: true,
      locale: 'vi-VN',
      plugins: { legend: { display: series.length > 1, position: 'bottom' } },
      scales: {
        x: { stacked, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  };
}

export function createChart(canvas: HTMLCanvasElement, config: ChartConfiguration<'bar'>): Chart<'bar'> {
  return new Chart(canvas, config);
}
