import {
  type Event,
  type EventError,
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import type { DurableHistoryEvent } from "../lib/durable/history.js";
import type {
  DurableExecutionStatus,
  DurableExecutionStatusReader,
  DurableHistoryReader,
} from "../lib/ports.js";
import { createLambdaClient } from "./lambdaClient.js";

/** What an event's details may carry: each event type has its own `<Type>Details` member. */
interface EventDetails {
  Input?: { Payload?: string };
  Result?: { Payload?: string };
  Error?: EventError;
  StartTimestamp?: Date;
  EndTimestamp?: Date;
}

function detailsOf(event: Event): EventDetails {
  const key = Object.keys(event).find((name) => name.endsWith("Details"));
  return key ? ((event as Record<string, unknown>)[key] as EventDetails) : {};
}

function toHistoryEvent(event: Event): DurableHistoryEvent {
  const details = detailsOf(event);
  const error = details.Error?.Payload;
  const payloadBytes =
    Buffer.byteLength(details.Input?.Payload ?? "") +
    Buffer.byteLength(details.Result?.Payload ?? "") +
    (error ? Buffer.byteLength(JSON.stringify(error)) : 0);
  return {
    type: event.EventType ?? "Unknown",
    ...(event.Id === undefined ? {} : { id: event.Id }),
    ...(event.Name === undefined ? {} : { name: event.Name }),
    at: event.EventTimestamp?.getTime() ?? 0,
    payloadBytes,
    ...(event.EventType === "InvocationCompleted" && details.StartTimestamp && details.EndTimestamp
      ? {
          invocation: {
            startedAt: details.StartTimestamp.getTime(),
            endedAt: details.EndTimestamp.getTime(),
          },
        }
      : {}),
    ...(error && event.EventType?.startsWith("ChainedInvoke")
      ? { error: { type: error.ErrorType ?? "Error", message: error.ErrorMessage ?? "" } }
      : {}),
  };
}

/**
 * What Lambda keeps of a durable execution: its history through GetDurableExecutionHistory, with
 * the operations' payloads (their sizes are what the execution wrote), every page; and its status
 * through GetDurableExecution. Locally the SDK's endpoint is AWS_ENDPOINT_URL_LAMBDA: AWS's local
 * durable execution service.
 */
export class LambdaDurableHistory implements DurableHistoryReader, DurableExecutionStatusReader {
  constructor(private readonly client: LambdaClient = createLambdaClient()) {}

  async read(executionArn: string): Promise<DurableHistoryEvent[]> {
    const events: DurableHistoryEvent[] = [];
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new GetDurableExecutionHistoryCommand({
          DurableExecutionArn: executionArn,
          IncludeExecutionData: true,
          ...(marker ? { Marker: marker } : {}),
        }),
      );
      events.push(...(page.Events ?? []).map(toHistoryEvent));
      marker = page.NextMarker || undefined;
    } while (marker);
    return events;
  }

  async status(executionArn: string): Promise<DurableExecutionStatus | undefined> {
    try {
      const execution = await this.client.send(
        new GetDurableExecutionCommand({ DurableExecutionArn: executionArn }),
      );
      const status = execution.Status ?? "RUNNING";
      const error = execution.Error;
      return {
        status,
        ...(error
          ? { error: { type: error.ErrorType ?? "Error", message: error.ErrorMessage ?? "" } }
          : {}),
      };
    } catch (error) {
      if ((error as Error).name === "ResourceNotFoundException") return undefined;
      throw error;
    }
  }
}
