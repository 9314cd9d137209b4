// Charts with Chart.js (its browser build, served from node_modules as /assets/vendor/chart.umd.js).
// A chart is a picture for sighted readers: its canvas carries a summary as its accessible name,
// and every chart has its numbers in a table beside it.
import { $ } from './dom.js';

const charts = new Map();

export function drawChart(selector, summary, config) {
  const canvas = $(selector);
  canvas.setAttribute('aria-label', summary);
  charts.get(selector)?.destroy();
  if (!window.Chart) return;
  const chart = new window.Chart(canvas, {
    ...config,
    options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options },
  });
  charts.set(selector, chart);
}
