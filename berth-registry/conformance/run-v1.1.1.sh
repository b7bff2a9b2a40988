#!/bin/bash
# Runs the OCI distribution-spec v1.1.1 conformance suite (built as README.md says)
# against Berth's BenchRegistry. Usage: BERTH_LOG=berth.log [CONFORMANCE_DIR=dir] run-v1.1.1.sh [ginkgo flags]   (reads "host ..." and "password ..." lines from the log)
# Override anything with env vars (OCI_ROOT_URL, OCI_PASSWORD, OCI_NAMESPACE, ...).
LOG=${BERTH_LOG:?BenchRegistry output (host and password lines)}
HOSTPORT=$(awk '/^host /{print $2}' "$LOG" | tail -1)
PASS=$(awk '/^password /{print $2}' "$LOG" | tail -1)
export OCI_ROOT_URL=${OCI_ROOT_URL:-http://$HOSTPORT}
export OCI_USERNAME=${OCI_USERNAME:-AWS}
export OCI_PASSWORD=${OCI_PASSWORD:-$PASS}
export OCI_NAMESPACE=${OCI_NAMESPACE:-bench/r1}
export OCI_CROSSMOUNT_NAMESPACE=${OCI_CROSSMOUNT_NAMESPACE:-bench/r2}
export OCI_TEST_PULL=${OCI_TEST_PULL:-1} OCI_TEST_PUSH=${OCI_TEST_PUSH:-1}
export OCI_TEST_CONTENT_DISCOVERY=${OCI_TEST_CONTENT_DISCOVERY:-1} OCI_TEST_CONTENT_MANAGEMENT=${OCI_TEST_CONTENT_MANAGEMENT:-1}
export OCI_HIDE_SKIPPED_WORKFLOWS=${OCI_HIDE_SKIPPED_WORKFLOWS:-0}
export OCI_DEBUG=${OCI_DEBUG:-0}
export OCI_AUTOMATIC_CROSSMOUNT=${OCI_AUTOMATIC_CROSSMOUNT-1}   # Berth mounts without ?from= (global blob store); set to "" via env -u to skip those tests
export OCI_DELETE_MANIFEST_BEFORE_BLOBS=${OCI_DELETE_MANIFEST_BEFORE_BLOBS:-1}
export OCI_REPORT_DIR=${OCI_REPORT_DIR:-${CONFORMANCE_DIR:-/tmp/conformance}/report}
mkdir -p "$OCI_REPORT_DIR"
set -o pipefail
cd "${CONFORMANCE_DIR:-/tmp/conformance}" && ./conformance.test "$@" 2>&1 | tee "$OCI_REPORT_DIR/stdout.txt"
