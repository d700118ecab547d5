#!/usr/bin/env bash
# Runs a sharded loadleak run on the current kubectl context and prints the merged verdict.
#   native/k8s/run.sh [RESULTS_DIR]      (default ./loadleak-results/k8s-<UTC time>)
# Needs: the image loadleak:latest where the cluster can pull it (native/build.sh --image, then
# push/load it), a ReadWriteMany storage class, and native/k8s/scenario.yaml set to your scenario.
# Exit code: the merge's (0 GO, 1 NO-GO, 2/3 could not merge or run).
set -euo pipefail
cd "$(dirname "$0")"
OUT=${1:-../../loadleak-results/k8s-$(date -u +%Y%m%dT%H%M%SZ)}
NS=loadleak
kubectl delete job -n $NS loadleak-shards loadleak-merge --ignore-not-found
kubectl apply -k .
SECONDS_LEFT=${LOADLEAK_WAIT:-7200s}
if ! kubectl wait -n $NS --for=condition=complete job/loadleak-shards --timeout="$SECONDS_LEFT"; then
  kubectl logs -n $NS -l app.kubernetes.io/component=shard --tail=50 || true
  echo "the shards did not all complete" >&2
  exit 3
fi
kubectl apply -f job-merge.yaml
kubectl wait -n $NS --for=condition=complete job/loadleak-merge --timeout=600s \
  || kubectl wait -n $NS --for=condition=failed job/loadleak-merge --timeout=10s || true
kubectl logs -n $NS job/loadleak-merge
CODE=$(kubectl get pods -n $NS -l app.kubernetes.io/component=merge \
  -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}')
# copy the merged results out through a short-lived pod that mounts the volume
kubectl run -n $NS loadleak-fetch --image=busybox:1.36 --restart=Never --overrides='{"spec":{"containers":[{"name":"f","image":"busybox:1.36","command":["sleep","300"],"volumeMounts":[{"name":"r","mountPath":"/results"}]}],"volumes":[{"name":"r","persistentVolumeClaim":{"claimName":"loadleak-results"}}]}}'
kubectl wait -n $NS --for=condition=ready pod/loadleak-fetch --timeout=120s
mkdir -p "$OUT"
kubectl cp -n $NS loadleak-fetch:/results "$OUT"
kubectl delete pod -n $NS loadleak-fetch --wait=false
echo "results: $OUT (merged/report.html, merged/result.json, shard-*/)"
exit "${CODE:-3}"
