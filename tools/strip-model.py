#!/usr/bin/env python3
"""Copies an AWS API model from the installed botocore, without its documentation, into a module's
resources. Usage: tools/strip-model.py SERVICE OUT_FILE

The models are Apache-2.0 licensed data (botocore); Berth validates requests against them."""
import gzip, json, os, sys

import botocore

service, out = sys.argv[1], sys.argv[2]
base = os.path.join(os.path.dirname(botocore.__file__), "data", service)
version = sorted(os.listdir(base))[-1]
with gzip.open(os.path.join(base, version, "service-2.json.gz")) as f:
    model = json.load(f)

def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("documentation", "documentationUrl", "examples")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node

model = strip(model)
model["metadata"]["source"] = "botocore " + botocore.__version__ + " data/" + service + "/" + version
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump(model, f, separators=(",", ":"), sort_keys=True)
