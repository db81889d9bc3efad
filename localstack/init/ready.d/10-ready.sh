#!/usr/bin/env bash
# Runs inside the LocalStack container once it is ready. Queues are not created here: in Docker
# mode `serverless deploy --stage local` creates them from serverless.yml, the one declaration.
echo "concurrency-lab: LocalStack ready; queues so far:"
awslocal sqs list-queues || true
