#!/bin/bash
# Push or pull an OCI layout with curl alone (a client that hashes nothing, so the registry is what is measured):
# the blobs in parallel as docker and skopeo send them (POST, PATCH with the whole blob, PUT ?digest=), then
# the manifest; a pull GETs the manifest and then every blob in parallel into PULL_DIR. Prints wall seconds.
# usage: curlpp.sh push|pull IMG_DIR BASE_URL NAME TAG [USER:PASS] [PULL_DIR]
set -euo pipefail
op=$1; img=$2; base=$3; name=$4; tag=$5; cred=${6:-}; out=${7:-}
auth=(); [ -n "$cred" ] && auth=(-u "$cred")
c() { curl -sS -f "${auth[@]}" "$@"; }
mdig=$(python3 -c "import json,sys;print(json.load(open('$img/index.json'))['manifests'][0]['digest'])")
blobs=$(python3 -c "import json;m=json.load(open('$img/blobs/sha256/${mdig#sha256:}'));print(' '.join([m['config']['digest']]+[l['digest'] for l in m['layers']]))")
start=$(date +%s.%N)
if [ "$op" = push ]; then
  for d in $blobs; do (
    loc=$(c -X POST -D - -o /dev/null "$base/v2/$name/blobs/uploads/" | tr -d '\r' | awk 'tolower($1)=="location:"{print $2}')
    case $loc in http*) ;; *) loc="$base$loc";; esac
    loc=$(c -X PATCH -H 'Content-Type: application/octet-stream' -T "$img/blobs/sha256/${d#sha256:}" -D - -o /dev/null "$loc" | tr -d '\r' | awk 'tolower($1)=="location:"{print $2}')
    case $loc in http*) ;; *) loc="$base$loc";; esac
    case $loc in *\?*) sep='&';; *) sep='?';; esac
    c -X PUT -H 'Content-Length: 0' -o /dev/null "$loc${sep}digest=$d"
  ) & done
  wait
  c -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$img/blobs/sha256/${mdig#sha256:}" -o /dev/null "$base/v2/$name/manifests/$tag"
else
  mkdir -p "$out"
  c -H 'Accept: application/vnd.oci.image.manifest.v1+json' -o "$out/manifest.json" "$base/v2/$name/manifests/$tag"
  for d in $blobs; do c -L -o "$out/${d#sha256:}" "$base/v2/$name/blobs/$d" & done
  wait
fi
end=$(date +%s.%N)
python3 -c "print('%.3f' % ($end-$start))"
