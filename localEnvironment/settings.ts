/** Where the local stack listens; the same values the README's curl examples use. */
export const LOCAL_STAGE = "local";
/** The CloudFormation stack `serverless deploy --stage local` creates (service-stage). */
export const LOCAL_STACK_NAME = `concurrency-lab-${LOCAL_STAGE}`;
export const LOCAL_REGION = "us-east-1";
export const LOCALSTACK_ENDPOINT = "http://127.0.0.1:4566";
/** AWS's local durable execution service, which localstack/start.sh runs beside LocalStack. */
export const DURABLE_SERVICE_PORT = Number(process.env.LAB_DEX_PORT ?? 4567);

/**
 * Region and credentials for the Serverless CLI and our own clients of the local stack. The
 * handlers get theirs from LocalStack (AWS_ENDPOINT_URL points them at it), so the code never
 * branches on the environment. LocalStack accepts any credentials; "test" is its convention.
 */
export const LOCAL_AWS_ENV: Record<string, string> = {
  AWS_REGION: LOCAL_REGION,
  AWS_DEFAULT_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
};

/** The telemetry and notification calls of the Serverless CLI would only wait for the network. */
export const SERVERLESS_CLI_ENV: Record<string, string> = {
  SLS_TELEMETRY_DISABLED: "1",
  SLS_NOTIFICATIONS_MODE: "off",
};

/** The same credentials as an SDK client option, for our own clients of the local stack. */
export const LOCAL_CREDENTIALS = {
  accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID as string,
  secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY as string,
};
