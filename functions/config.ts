import { z } from "zod";

/** Settings serverless.yml gives every function; read on first use, not at import. */
const environmentSchema = z.object({
  TASK_FUNCTION_PREFIX: z.string().min(1),
  WORK_QUEUE_NAME: z.string().min(1),
  REPLY_QUEUE_PREFIX: z.string().min(1),
});

export type ServiceConfig = z.infer<typeof environmentSchema>;

let cached: ServiceConfig | undefined;

export function serviceConfig(): ServiceConfig {
  cached ??= environmentSchema.parse(process.env);
  return cached;
}
