#!/bin/sh
# Start the API where the Lambda Web Adapter expects it (AWS_LWA_PORT on loopback).
# Lambda's filesystem is read-only except /tmp, hence the var dir default.
set -eu
export LOAN_ADVISOR_HOST=127.0.0.1
export LOAN_ADVISOR_PORT="${AWS_LWA_PORT:-${PORT:-8080}}"
export LOAN_ADVISOR_VAR_DIR="${LOAN_ADVISOR_VAR_DIR:-/tmp/var}"
exec loan-advisor serve
