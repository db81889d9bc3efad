import measured from "./parameterSets/local.json" with { type: "json" };
import { type PlatformParameters, platformParametersSchema } from "./parameters.js";

/**
 * The `local` parameter set: this machine as `npm run bench:calibrate` last measured it and
 * `--save` kept it (lib/forecast/parameterSets/local.json), parsed so that a hand-edited file
 * that no longer fits fails here, naming the field.
 */
export const LOCAL_PARAMETERS: PlatformParameters = platformParametersSchema.parse(measured);
