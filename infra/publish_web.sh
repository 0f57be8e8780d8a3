#!/usr/bin/env bash
# Build the web app and publish it to a stage's bucket, then invalidate CloudFront.
# Usage: infra/publish_web.sh <cdk outputs.json> <stage id, e.g. LoanAdvisor-staging>
set -euo pipefail
outputs="$1"; stage="$2"
stack="${stage}-Api"
bucket="$(jq -r --arg s "$stack" '.[$s].WebBucket' "$outputs")"
distribution="$(jq -r --arg s "$stack" '.[$s].DistributionId' "$outputs")"
(cd frontend && npm ci --no-audit --no-fund && npm run build)
# Hashed assets first (cached for a year), index.html last (never cached), so no client sees
# an index pointing at assets that are not there yet.
aws s3 sync frontend/dist "s3://${bucket}" --delete --exclude index.html \
  --cache-control "public, max-age=31536000, immutable"
aws s3 cp frontend/dist/index.html "s3://${bucket}/index.html" --cache-control "no-cache"
aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/index.html" >/dev/null
