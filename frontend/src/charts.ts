// The card's two small charts, drawn as SVG: no chart library.
import { svg, type SVGTemplateResult } from "lit";
import type { Episode, Thresholds, Weight } from "./types";

const WIDTH = 300;
const HEIGHT = 110;
const PAD = { left: 30, right: 6, top: 6, bottom: 16 };

interface Scale {
  x: (t: number) => number;
  y: (v: number) => number;
}

function scale(t0: number, t1: number, v0: number, v1: number): Scale {
  const dt = Math.max(t1 - t0, 1);
  const dv = Math.max(v1 - v0, 0.1);
  const w = WIDTH - PAD.left - PAD.right;
  const h = HEIGHT - PAD.top - PAD.bottom;
  return {
    x: (t) => round(PAD.left + ((t - t0) / dt) * w),
    y: (v) => round(PAD.top + (1 - (v - v0) / dv) * h),
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * The episode's readings (oral-equivalent °C) over time, with the fever
 * classes as horizontal bands; `label` writes a temperature in the user's unit.
 */
export function feverChart(
  episode: Episode,
  thresholds: Thresholds,
  now: number,
  label: (celsius: number) => string,
): SVGTemplateResult {
  const readings = episode.readings;
  const t0 = Math.min(episode.start, ...readings.map((r) => r[0]), ...episode.doses.map((d) => d.at));
  // Out to the next check, so the chart shows when to measure again.
  const t1 = Math.max(now, episode.check ?? 0, ...readings.map((r) => r[0]), t0 + 3600);
  const values = readings.map((r) => r[1]);
  const v0 = Math.min(thresholds.low_grade - 0.8, ...values) - 0.2;
  const v1 = Math.max(thresholds.high_fever + 0.5, ...values) + 0.3;
  const s = scale(t0, t1, v0, v1);
  const band = (from: number, to: number, kind: string) => {
    const top = s.y(Math.min(to, v1));
    const bottom = s.y(Math.max(from, v0));
    return bottom > top
      ? svg`<rect class="band ${kind}" x=${PAD.left} y=${top} width=${WIDTH - PAD.left - PAD.right} height=${round(bottom - top)}></rect>`
      : svg``;
  };
  const path = readings.map((r, i) => `${i ? "L" : "M"}${s.x(r[0])} ${s.y(r[1])}`).join(" ");
  const ticks = [thresholds.fever, thresholds.high_fever].filter((v) => v > v0 && v < v1);
  return svg`<svg class="chart fever" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img">
    ${band(thresholds.low_grade, thresholds.fever, "low_grade")}
    ${band(thresholds.fever, thresholds.high_fever, "fever")}
    ${band(thresholds.high_fever, thresholds.hyperpyrexia, "high_fever")}
    ${band(thresholds.hyperpyrexia, v1, "hyperpyrexia")}
    ${ticks.map(
      (v) => svg`<text class="axis" x=${PAD.left - 3} y=${s.y(v) + 3} text-anchor="end">${label(v)}</text>`,
    )}
    ${episode.doses.map(
      (dose) => svg`<line class="dose" x1=${s.x(dose.at)} x2=${s.x(dose.at)} y1=${PAD.top} y2=${HEIGHT - PAD.bottom}><title>${dose.name} ${dose.amount} ${dose.unit}</title></line>`,
    )}
    ${episode.check
      ? svg`<line class="check" x1=${s.x(episode.check)} x2=${s.x(episode.check)} y1=${PAD.top} y2=${HEIGHT - PAD.bottom}></line>`
      : svg``}
    <path class="line" d=${path}></path>
    ${readings.map(
      (r) => svg`<circle class="point" cx=${s.x(r[0])} cy=${s.y(r[1])} r="2.5"><title>${label(r[1])}</title></circle>`,
    )}
  </svg>`;
}

/** The weight trend, then a dashed line to the 30-day forecast inside its 80 % band. */
export function weightSparkline(weight: Weight): SVGTemplateResult {
  const points = weight.spark.length ? weight.spark : [[weight.at, weight.kg] as [number, number]];
  const forecast = weight.forecast;
  const last = points[points.length - 1];
  const times = points.map((p) => p[0]);
  const kgs = points.map((p) => p[1]);
  if (forecast) {
    times.push(forecast.at);
    kgs.push(forecast.low, forecast.high);
  }
  const s = scale(Math.min(...times), Math.max(...times), Math.min(...kgs) - 0.2, Math.max(...kgs) + 0.2);
  const line = points.map((p, i) => `${i ? "L" : "M"}${s.x(p[0])} ${s.y(p[1])}`).join(" ");
  return svg`<svg class="chart weight" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img">
    ${
      forecast
        ? svg`<polygon class="forecast-band" points="${s.x(last[0])},${s.y(last[1])} ${s.x(forecast.at)},${s.y(forecast.high)} ${s.x(forecast.at)},${s.y(forecast.low)}"></polygon>
          <path class="forecast" d="M${s.x(last[0])} ${s.y(last[1])} L${s.x(forecast.at)} ${s.y(forecast.kg)}"></path>`
        : svg``
    }
    <path class="line" d=${line}></path>
  </svg>`;
}
