# Writes an OCI image layout of ~200 MB (5 layers of 40 MiB random data, gzip -1) to DIR: genimg.py DIR
import os, json, hashlib, gzip, io, tarfile, sys
root=sys.argv[1]
os.makedirs(root+'/blobs/sha256', exist_ok=True)
def blob(data):
    d=hashlib.sha256(data).hexdigest()
    open(f'{root}/blobs/sha256/{d}','wb').write(data)
    return 'sha256:'+d, len(data)
layers=[]; diffids=[]
for i in range(5):
    raw=io.BytesIO()
    with tarfile.open(fileobj=raw, mode='w') as t:
        payload=os.urandom(40*1024*1024)
        ti=tarfile.TarInfo(f'data/layer{i}.bin'); ti.size=len(payload); ti.mtime=1704067200
        t.addfile(ti, io.BytesIO(payload))
    tar=raw.getvalue()
    diffids.append('sha256:'+hashlib.sha256(tar).hexdigest())
    gz=gzip.compress(tar, compresslevel=1, mtime=0)
    d,s=blob(gz)
    layers.append({'mediaType':'application/vnd.oci.image.layer.v1.tar+gzip','digest':d,'size':s})
config=json.dumps({'architecture':'amd64','os':'linux','rootfs':{'type':'layers','diff_ids':diffids},'config':{}}).encode()
cd,cs=blob(config)
manifest=json.dumps({'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json','config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':cd,'size':cs},'layers':layers}).encode()
md,ms=blob(manifest)
json.dump({'schemaVersion':2,'manifests':[{'mediaType':'application/vnd.oci.image.manifest.v1+json','digest':md,'size':ms,'annotations':{'org.opencontainers.image.ref.name':'v1'}}]}, open(root+'/index.json','w'))
open(root+'/oci-layout','w').write('{"imageLayoutVersion":"1.0.0"}')
