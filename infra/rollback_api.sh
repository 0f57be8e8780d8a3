#!/usr/bin/env bash
# Stop the stage's in-flight CodeDeploy deployment of the API alias with automatic rollback,
# which points the `live` alias back at the previous version. No-op when none is running.
# Usage: infra/rollback_api.sh <staging|prod>
set -euo pipefail
app="loan-advisor-$1-api"  # names set in infra/units/api_function.py
for id in $(aws deploy list-deployments --application-name "$app" --deployment-group-name live \
    --include-only-statuses InProgress Queued Ready --query 'deployments[]' --output text); do
  echo "stopping $id ($app/live) with rollback"
  aws deploy stop-deployment --deployment-id "$id" --auto-rollback-enabled
done
