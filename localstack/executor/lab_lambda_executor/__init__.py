"""LocalStack plugins for host mode (no Docker).

- ``plugins.NodeProcessRuntimeExecutorPlugin`` (``LAMBDA_RUNTIME_EXECUTOR=node-process``): runs each
  Lambda execution environment of a Node.js function as a local ``node`` child process.
- ``ecr.ecr`` (provider ``ecr:default``): answers ECR's DescribeRepositories, so that
  ``serverless remove`` works against the community edition.
"""
