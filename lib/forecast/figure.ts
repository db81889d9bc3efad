import { z } from "zod";

/**
 * A latency the forecast draws from: its median and one upper percentile (p95 or p99), where it
 * comes from, and, when no published figure exists, the range an assumption could take. A figure
 * whose upper percentile equals its median is a constant.
 */
export const figureSchema = z
  .object({
    p50Ms: z.number().min(0),
    p95Ms: z.number().min(0).optional(),
    p99Ms: z.number().min(0).optional(),
    source: z.string().min(1),
    /** Set when no measurement backs the figure: the lowest and highest value it could take. */
    assumption: z.object({ lowMs: z.number().min(0), highMs: z.number().min(0) }).optional(),
  })
  .refine((figure) => figure.p95Ms !== undefined || figure.p99Ms !== undefined, {
    message: "give p95Ms or p99Ms",
  });
export type Figure = z.infer<typeof figureSchema>;

/** z of the 95th and 99th percentiles of the standard normal distribution. */
const Z_95 = 1.644_853_627;
const Z_99 = 2.326_347_874;

/**
 * The log-normal distribution through a figure's median and upper percentile (latencies are
 * skewed right and never negative): its mu and sigma. Sigma 0 when the figure is a constant.
 */
export function logNormalOf(figure: Figure): { mu: number; sigma: number } {
  if (figure.p50Ms <= 0) return { mu: Number.NEGATIVE_INFINITY, sigma: 0 };
  const mu = Math.log(figure.p50Ms);
  const [upper, z] =
    figure.p99Ms !== undefined ? [figure.p99Ms, Z_99] : [figure.p95Ms ?? figure.p50Ms, Z_95];
  return { mu, sigma: Math.max(0, (Math.log(Math.max(upper, figure.p50Ms)) - mu) / z) };
}

/** One draw of `figure` from a standard normal value `normal` (0 gives the median). */
export function drawFigure(figure: Figure, normal: number): number {
  const { mu, sigma } = logNormalOf(figure);
  return Number.isFinite(mu) ? Math.exp(mu + sigma * normal) : 0;
}

/** A constant figure: measured or set exactly, no spread. */
export function constantFigure(ms: number, source: string): Figure {
  return { p50Ms: ms, p99Ms: ms, source };
}
