#!/bin/bash
# Runs the distribution-spec main-branch conformance suite (commit 967efdc, rewritten non-ginkgo suite, go.mod says go 1.24;
# built with Go 1.23.5 + 2 small back-port shims, see README.md) against Berth's BenchRegistry.
# Usage: BERTH_LOG=berth.log [CONFORMANCE_DIR=dir] run-main.sh ; override any OCI_* env var (see src-head/conformance/README.md).
LOG=${BERTH_LOG:?BenchRegistry output (host and password lines)}
export OCI_REGISTRY=${OCI_REGISTRY:-$(awk '/^host /{print $2}' "$LOG" | tail -1)}
export OCI_PASSWORD=${OCI_PASSWORD:-$(awk '/^password /{print $2}' "$LOG" | tail -1)}
export OCI_USERNAME=${OCI_USERNAME:-AWS}
export OCI_TLS=${OCI_TLS:-disabled}
export OCI_REPO1=${OCI_REPO1:-bench/r3} OCI_REPO2=${OCI_REPO2:-bench/r4}
export OCI_VERSION=${OCI_VERSION:-1.1}
export OCI_RESULTS_DIR=${OCI_RESULTS_DIR:-${CONFORMANCE_DIR:-/tmp/conformance}/results-head}
mkdir -p "$OCI_RESULTS_DIR"
set -o pipefail
cd "${CONFORMANCE_DIR:-/tmp/conformance}" && ./conformance-head "$@" 2>&1 | tee "$OCI_RESULTS_DIR/stdout.txt"
