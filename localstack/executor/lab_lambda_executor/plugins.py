"""plux entry point of the executor: cheap to import, the executor module is loaded on demand."""

from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin


class NodeProcessRuntimeExecutorPlugin(RuntimeExecutorPlugin):
    # LAMBDA_RUNTIME_EXECUTOR=node-process selects it (PluginManager looks plugins up by this name)
    name = "node-process"

    def load(self, *args, **kwargs):
        from lab_lambda_executor.executor import NodeProcessRuntimeExecutor

        return NodeProcessRuntimeExecutor


class NodeThreadRuntimeExecutorPlugin(RuntimeExecutorPlugin):
    # LAMBDA_RUNTIME_EXECUTOR=node-thread: environments as worker threads of one Node process per
    # function version
    name = "node-thread"

    def load(self, *args, **kwargs):
        from lab_lambda_executor.executor import NodeThreadRuntimeExecutor

        return NodeThreadRuntimeExecutor
