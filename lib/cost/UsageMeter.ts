import type { SqsRequestMeter } from "../ports.js";

/** One run's tally of the SQS requests its transport made (counted) or caused (estimated). */
export class UsageMeter implements SqsRequestMeter {
  private counted = 0;
  private estimated = 0;

  count(requests: number): void {
    this.counted += requests;
  }

  estimate(requests: number): void {
    this.estimated += requests;
  }

  sqsRequests(): { counted: number; estimated: number } {
    return { counted: this.counted, estimated: this.estimated };
  }
}
