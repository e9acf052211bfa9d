/** Time-series chart on ECharts (tree-shaken core: line + bar, canvas renderer). */
import { useEffect, useMemo, useState } from 'react';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface ChartSeries {
  name: string;
  points: Array<[number, number | null]>;
}

interface ChartProps {
  series: ChartSeries[];
  kind?: 'line' | 'bar';
  /** Formats a value for the axis and tooltip. */
  format: (value: number) => string;
  label: string;
  /** Time axis bounds (ms since epoch), so sparse data still spans the chosen range. */
  range?: [number, number];
  /** Whole-number values only (counts): no 0.5 ticks. */
  integer?: boolean;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Re-reads the theme colours when the theme changes (toggle or system preference). */
function useThemeColors() {
  const read = () => ({
    text: cssVar('--muted'),
    border: cssVar('--border'),
    surface: cssVar('--surface'),
    palette: [cssVar('--chart-1'), cssVar('--chart-2'), cssVar('--chart-3'), cssVar('--chart-4')],
  });
  const [colors, setColors] = useState(read);
  useEffect(() => {
    const update = () => setColors(read());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    media?.addEventListener?.('change', update);
    return () => {
      observer.disconnect();
      media?.removeEventListener?.('change', update);
    };
  }, []);
  return colors;
}

export default function Chart({ series, kind = 'line', format, label, range, integer }: ChartProps) {
  const colors = useThemeColors();
  const option = useMemo(
    () => ({
      animation: false,
      color: colors.palette,
      grid: { left: 8, right: 12, top: series.length > 1 ? 28 : 12, bottom: 4, containLabel: true },
      legend: series.length > 1 ? { top: 0, textStyle: { color: colors.text }, type: 'scroll' } : undefined,
      tooltip: {
        trigger: 'axis',
        backgroundColor: colors.surface,
        borderColor: colors.border,
        textStyle: { color: colors.text },
        valueFormatter: (v: number) => (v === null || v === undefined ? '—' : format(v)),
      },
      xAxis: {
        type: 'time',
        min: range?.[0],
        max: range?.[1],
        axisLine: { lineStyle: { color: colors.border } },
        axisLabel: { color: colors.text, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        minInterval: integer ? 1 : undefined,
        axisLabel: { color: colors.text, formatter: (v: number) => format(v) },
        splitLine: { lineStyle: { color: colors.border, opacity: 0.6 } },
      },
      series: series.map((s) => ({
        name: s.name,
        type: kind,
        data: s.points,
        showSymbol: s.points.length < 3,
        smooth: false,
        barMaxWidth: 18,
        areaStyle: kind === 'line' && series.length === 1 ? { opacity: 0.12 } : undefined,
        connectNulls: false,
      })),
    }),
    [series, kind, format, colors, range, integer],
  );
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge lazyUpdate className="chart" />
    </div>
  );
}
