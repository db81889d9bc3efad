"""A stub ECR provider for the community edition, which has none and answers ECR calls with 501.

`serverless remove` asks ECR for the service's image repository before removing the stack: with
this provider it learns that there is none (RepositoryNotFoundException) and goes on. Only
DescribeRepositories is implemented; LocalStack answers every other ECR operation with its usual
"not implemented" error (501).
"""

from localstack.aws.api import RequestContext, ServiceException, handler
from localstack.services.plugins import Service, aws_provider


class RepositoryNotFoundException(ServiceException):
    code = "RepositoryNotFoundException"
    sender_fault = True
    status_code = 400


class EcrProvider:
    service = "ecr"  # the botocore service whose specification the skeleton parses requests with

    @handler("DescribeRepositories", expand=False)
    def describe_repositories(self, context: RequestContext, request: dict) -> dict:
        names = request.get("repositoryNames") or []
        registry = request.get("registryId") or context.account_id
        if names:  # as AWS: the first repository that does not exist (here: any)
            raise RepositoryNotFoundException(
                f"The repository with name '{names[0]}' does not exist "
                f"in the registry with id '{registry}'"
            )
        return {"repositories": []}


# plux PluginSpec "ecr:default" in namespace localstack.aws.provider (entry point in pyproject.toml)
@aws_provider(api="ecr")
def ecr():
    return Service.for_provider(EcrProvider())
