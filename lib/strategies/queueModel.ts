import { lambdaBilling } from "../cost/lambdaBilling.js";
import { outcomeOf } from "../forecast/invokeTask.js";
import type { Environment, HandlerBody, LambdaService } from "../forecast/lambdaService.js";
import type { StrategyModel } from "../forecast/model.js";
import { type SimulatedOutcome, scheduleDag } from "../forecast/scheduleDag.js";
import { functionOfTask, outputBytesOf, taskWork } from "../forecast/taskBodies.js";
import { sqsRequestsFor } from "../forecast/workQueue.js";
import { buildRunReport } from "../runReport/buildRunReport.js";
import type { LambdaBilling } from "../tasks/types.js";
import type { PlannedTask } from "../workflow/plan.js";

/** A work message's JSON around the task's inputs: ids, the reply queue's URL, times. */
const MESSAGE_ENVELOPE_BYTES = 400;
/** As lib/strategies/QueueInvoker.ts: up to 8 receivers, 10 completions per receive. */
const MAX_RECEIVERS = 8;
const COMPLETIONS_PER_RECEIVE = 10;

/**
 * The run's reply queue as QueueInvoker drains it: one long-polling receiver per 10 outstanding
 * tasks (at most 8); a receive returns the completions waiting (at most 10) a delivery latency
 * after the first arrived, then the receiver polls again.
 */
class ReplyChannel {
  private readonly arrived: Array<() => void> = [];
  private polling = 0;
  private returning = 0;
  outstanding = 0;
  requests = 0;

  constructor(private readonly lambda: LambdaService) {}

  private receivers(): number {
    return Math.min(MAX_RECEIVERS, Math.ceil(this.outstanding / COMPLETIONS_PER_RECEIVE));
  }

  /** A completion is on the reply queue: `settle` runs when the orchestrator has received it. */
  arrive(settle: () => void): void {
    this.arrived.push(settle);
    this.wake();
  }

  private wake(): void {
    while (this.arrived.length > 0 && this.returning < Math.max(1, this.receivers())) {
      this.returning += 1;
      this.polling += 1;
      const { simulation, parameters } = this.lambda;
      simulation.after(simulation.draw(parameters.sqs.replyDelivery), () =>
        this.lambda.stackRequest("sqsRequestCpuMs", () => {
          const batch = this.arrived.splice(0, COMPLETIONS_PER_RECEIVE);
          this.requests += 2; // the receive, and the delete of its batch
          this.lambda.stackRequest("sqsRequestCpuMs", () => {});
          this.returning -= 1;
          this.polling -= 1;
          for (const settle of batch) settle();
          this.wake();
        }),
      );
    }
  }
}

/**
 * The queue strategy on the simulated platform, as lib/strategies/queue.ts runs it: the
 * orchestrator opens the run's reply queue, sends each ready task as a work message, the event
 * source mapping hands it to a worker that runs the task (or invokes the own function) and sends
 * its completion to the reply queue, and the orchestrator's receivers bring it back; at the end
 * the reply queue is deleted (after the report's end, as the real one is). A crashed worker's
 * message comes back after the visibility timeout; a failed task's, while retries are left, after
 * the shortened visibility the worker sets.
 */
export const queueModel: StrategyModel = (plan, context, done) => {
  const { lambda, simulation, orchestrator, workQueue, ownFunctions, functions } = context;
  let counted = 0;
  /**
   * An SQS call of `bytes` from `sender`'s thread: `arrived` once SQS has it (a sent message can
   * then be received), `answered` once the sender has the answer, the rest of the round trip.
   */
  const callSqs = (
    sender: Environment,
    bytes: number,
    arrived: () => void,
    answered: () => void,
  ) => {
    const sentShare = lambda.parameters.sqs.sentShare?.value ?? 1;
    sender.thread.serve(lambda.callerCpuMs(), () => {
      const callMs = simulation.draw(lambda.parameters.sqs.apiCall);
      lambda.stackRequest("sqsRequestCpuMs", () =>
        simulation.after(callMs * sentShare + lambda.sqsTransferMs(bytes), () => {
          arrived();
          simulation.after(callMs * (1 - sentShare), answered);
        }),
      );
    });
  };
  /** The orchestrator's own call (CreateQueue, DeleteQueue, a work message), counted. */
  const orchestratorCall = (bytes: number, arrived: () => void, answered: () => void) => {
    counted += sqsRequestsFor(bytes);
    callSqs(orchestrator.environment, bytes, arrived, answered);
  };
  const replies = new ReplyChannel(lambda);

  const sendTask = (task: PlannedTask, bytesIn: number, finish: (o: SimulatedOutcome) => void) => {
    const bytes = bytesIn + MESSAGE_ENVELOPE_BYTES;
    const bytesOut = outputBytesOf(task, ownFunctions);
    const invokedAt = simulation.now;
    let attempt = 0;
    let settled = false;
    /** When the orchestrator's SendMessage returned. */
    let acknowledgedAt: number | undefined;
    replies.outstanding += 1;

    const workerBody: HandlerBody = (handler, end) => {
      const thisAttempt = attempt;
      const startedAt = simulation.now;
      /** The task ran (or failed for good): the worker sends its completion, then returns. */
      const complete = (
        span: { startedAt: number; endedAt: number; failed: boolean },
        own?: LambdaBilling,
      ) => {
        const completedAt = simulation.now;
        const workerBilling = lambdaBilling({
          ...functions.worker,
          handlerMs: completedAt - handler.startedAt,
          initMs: handler.initMs,
        });
        callSqs(
          handler.environment,
          span.failed ? 0 : bytesOut,
          () =>
            replies.arrive(() => {
              if (settled) return;
              settled = true;
              replies.outstanding -= 1;
              const outcome = outcomeOf(
                {
                  invokedAt,
                  returnedAt: simulation.now,
                  ...span,
                  coldStart: handler.coldStart,
                  throttled: false,
                  crashed: false,
                },
                thisAttempt + 1,
                0,
                bytesOut,
              );
              finish({
                ...outcome,
                fields: {
                  ...outcome.fields,
                  transport: {
                    sentAt: invokedAt,
                    ...(acknowledgedAt === undefined ? {} : { acknowledgedAt }),
                    receivedAt: handler.startedAt,
                    completedAt,
                  },
                  ...(own ? { billing: own, workerBilling } : { billing: workerBilling }),
                },
              });
            }),
          // Reported, so the message is done with, failed or not.
          () => end(),
        );
      };
      /** The task failed or its function's environment died: again while retries are left. */
      const attemptEnded = (
        span: { startedAt: number; endedAt: number; failed: boolean },
        own?: LambdaBilling,
      ) => {
        if (span.failed && thisAttempt < task.retries) end({ failed: true });
        else complete(span, own);
      };
      if (task.function !== undefined) {
        const fn = functionOfTask(task, ownFunctions);
        lambda.invoke(
          handler.environment,
          fn,
          { bytesIn, bytesOut: () => bytesOut },
          taskWork(lambda, task, thisAttempt, ownFunctions, fn.memoryMb),
          (record) =>
            attemptEnded(
              {
                startedAt: record.startedAt ?? startedAt,
                endedAt: record.endedAt ?? simulation.now,
                failed: record.failed || record.throttled,
              },
              record.billing,
            ),
        );
        return;
      }
      taskWork(
        lambda,
        task,
        thisAttempt,
        ownFunctions,
        functions.worker.memoryMb,
      )(handler, (workEnd) => {
        // The worker's own environment died with the task: SQS gives the message out again
        // after its visibility timeout.
        if (workEnd?.crashed) end({ crashed: true });
        else attemptEnded({ startedAt, endedAt: simulation.now, failed: workEnd?.failed ?? false });
      });
    };

    orchestratorCall(
      bytes,
      () =>
        workQueue.send({
          bytes,
          body: workerBody,
          handled: ({ crashed, failed }) => {
            if (settled || !(crashed || failed)) return "delete";
            attempt += 1;
            return "redeliver";
          },
        }),
      () => {
        acknowledgedAt = simulation.now;
      },
    );
  };

  // CreateQueue for the run's replies, before the run's clock starts (as runQueue opens it).
  orchestratorCall(
    0,
    () => {},
    () =>
      scheduleDag(
        simulation,
        plan,
        { maxConcurrency: Number.POSITIVE_INFINITY, budgetMs: context.budgetMs, start: sendTask },
        (schedule) => {
          const report = buildRunReport({ plan, ...schedule });
          // DeleteQueue, after the report's end: billed to the orchestrator, not in the wall.
          orchestratorCall(
            0,
            () => {},
            () =>
              done({
                report,
                sqsRequests: {
                  counted: counted + replies.requests,
                  // The mapping's receive and delete of each message, and each worker's completion.
                  estimated: 3 * plan.tasks.length,
                },
                orchestratorWaits: true,
              }),
          );
        },
      ),
  );
};
