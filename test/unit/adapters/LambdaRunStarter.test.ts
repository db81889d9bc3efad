import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { LambdaRunStarter } from "../../../adapters/LambdaRunStarter.js";
import { asyncRunIdOf } from "../../../lib/runs/asyncRunEvent.js";

const lambdaMock = mockClient(LambdaClient);

afterEach(() => {
  lambdaMock.reset();
});

describe("Class: LambdaRunStarter", () => {
  it("invokes the function it was called by, asynchronously, with the run's id", async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:lab-dev-durable:durable";

    await new LambdaRunStarter(arn, new LambdaClient({ region: "us-east-1" })).start("run-7");

    const input = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ FunctionName: arn, InvocationType: "Event" });
    const event = JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array));
    expect(asyncRunIdOf(event)).toBe("run-7");
  });
});
