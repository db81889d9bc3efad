import type { z } from "zod";
import type { taskKindSchema, taskNodeSchema, workflowSchema } from "./schema.js";

export type TaskKind = z.infer<typeof taskKindSchema>;
export type TaskNode = z.infer<typeof taskNodeSchema>;
export type Workflow = z.infer<typeof workflowSchema>;
