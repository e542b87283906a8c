#!/bin/bash
# Herald's copy of the team's kube-lab recipe (hack/e2e.sh runs it); nothing outside this repository is used.
# up.sh - fresh Debian bookworm (root, Debian apt mirror reachable, no other internet)
#         -> real kube-apiserver v1.20.2 + etcd 3.4.23 on 127.0.0.1 only, plus a kubeconfig.
# Idempotent: the build phase runs only if $LAB/bin/kube-apiserver is missing; after that it just (re)starts.
# Stop with down.sh (PID files in $LAB/run).   Usage: [LAB=~/.cache/kube-lab] [WITH_KCM=1] ./up.sh ; export KUBECONFIG=$LAB/kubeconfig
# WITH_KCM=1 also builds/starts kube-controller-manager (ownerReference garbage collection, namespace deletion,
# default ServiceAccounts + token secrets, Deployment->ReplicaSet->Pod objects; no scheduler/kubelet, so pods stay Pending).
set -euo pipefail
LAB=${LAB:-$HOME/.cache/kube-lab}
ETCD_PORT=${ETCD_PORT:-23790}; ETCD_PEER_PORT=${ETCD_PEER_PORT:-23800}; API_PORT=${API_PORT:-16443}
KVER=1.20.5+really1.20.2
SRC=$LAB/kubernetes-$KVER
RUN=$LAB/run; PKI=$LAB/pki
mkdir -p "$LAB" "$RUN" "$PKI" "$LAB/bin"
now() { date +%s; }
T0=$(now)
# apt and /etc/apt need root: as another user, go through sudo when there is something to install.
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo

# ---------- 1. packages (apt) ----------
need=()
command -v etcd >/dev/null || need+=(etcd-server)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
command -v xz >/dev/null || need+=(xz-utils)                  # dpkg-source unpacks the .debian.tar.xz
command -v kubectl >/dev/null || need+=(kubernetes-client)   # Debian's kubectl 1.20 if no newer one is present
WITH_KCM=${WITH_KCM:-0}
NEED_BUILD=; [ -x "$LAB/bin/kube-apiserver" ] || NEED_BUILD=1; [ "$WITH_KCM" = 1 ] && [ ! -x "$LAB/bin/kube-controller-manager" ] && NEED_BUILD=1
if [ -n "$NEED_BUILD" ]; then
  command -v go >/dev/null || need+=(golang-go)
  [ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ] || need+=(golang-github-modern-go-reflect2-dev)
  command -v dpkg-source >/dev/null || need+=(dpkg-dev)
  if [ ! -f /etc/apt/sources.list.d/debian-src.sources ]; then
    $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    NEED_UPDATE=1
  fi
fi
if [ ${#need[@]} -gt 0 ] || [ -n "${NEED_UPDATE:-}" ]; then
  s=$(now); $SUDO apt-get update -q
  [ ${#need[@]} -gt 0 ] && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  echo "== apt: $(( $(now) - s ))s"
fi

# ---------- 2. source + build kube-apiserver (+ kube-controller-manager if WITH_KCM=1), only if missing ----------
if [ -n "$NEED_BUILD" ]; then
  cd "$LAB"
  if [ ! -d "$SRC" ]; then
    s=$(now)
    apt-get source --download-only kubernetes            # ~34 MB: kubernetes_1.20.5+really1.20.2.orig.tar.gz + debian patches
    dpkg-source -x kubernetes_${KVER}-*.dsc "$SRC"
    echo "== source download+extract: $(( $(now) - s ))s"
    # Go >= 1.18 crashes (SIGSEGV in runtime.mapiterinit via json-iterator) with the vendored reflect2 v1.0.1.
    # Swap in reflect2 v1.0.2 from Debian (API-compatible; what upstream k8s moved to for Go 1.18).
    R=$SRC/vendor/github.com/modern-go/reflect2
    mv "$R" "$LAB/reflect2-v1.0.1.orig"; mkdir "$R"
    cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go /usr/share/gocode/src/github.com/modern-go/reflect2/*.s "$R/"
    cp "$LAB/reflect2-v1.0.1.orig/LICENSE" "$R/"
  fi
  # k8s 1.20 builds in GOPATH mode (hack/lib/init.sh sets GO111MODULE=off); module mode fails with
  # "go: updates to go.mod needed, disabled by -mod=vendor".
  export GOPATH=$LAB/gopath GOCACHE=$LAB/gocache GO111MODULE=off CGO_ENABLED=0 GOFLAGS=
  mkdir -p "$GOPATH/src/k8s.io"; ln -sfn "$SRC" "$GOPATH/src/k8s.io/kubernetes"
  cd "$GOPATH/src/k8s.io/kubernetes"
  # pkg/generated/openapi/zz_generated.openapi.go is not in the tarball (upstream `make` generates it):
  # without it: "cmd/kube-apiserver/app/server.go:477:87: undefined: openapi.GetOpenAPIDefinitions"
  if [ ! -f pkg/generated/openapi/zz_generated.openapi.go ]; then
    s=$(now)
    go build -o "$LAB/bin/openapi-gen" k8s.io/kubernetes/vendor/k8s.io/kube-openapi/cmd/openapi-gen
    DIRS=$(find -H . \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune -o -type f -name '*.go' -print \
      | sed 's|^\./staging/src|vendor|; s|^\./||' \
      | xargs grep --color=never -l '^// *+k8s:' \
      | grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' \
      | xargs grep --color=never -l '+k8s:openapi-gen=' \
      | xargs -n1 dirname | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)
    "$LAB/bin/openapi-gen" --logtostderr -i "$DIRS" -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
      -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r "$LAB/openapi_violations.report"
    echo "== openapi-gen: $(( $(now) - s ))s"
  fi
  V=k8s.io/kubernetes/vendor/k8s.io; LDF="-s -w"
  for p in $V/component-base/version $V/client-go/pkg/version; do
    LDF="$LDF -X $p.gitVersion=v1.20.2 -X $p.gitMajor=1 -X $p.gitMinor=20 -X $p.gitTreeState=clean -X $p.gitCommit=faecb196815e248d3ecfb03c680a4507229c2a56 -X $p.buildDate=2021-01-13T13:20:00Z"
  done
  for b in kube-apiserver $([ "$WITH_KCM" = 1 ] && echo kube-controller-manager); do
    [ -x "$LAB/bin/$b" ] && continue
    s=$(now)
    go build -p "$(nproc)" -ldflags "$LDF" -o "$LAB/bin/$b" "k8s.io/kubernetes/cmd/$b"
    echo "== go build $b: $(( $(now) - s ))s"
    "$LAB/bin/$b" --version
  done
fi

# ---------- 3. PKI (once) ----------
cd "$PKI"
if [ ! -f ca.crt ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=kube-lab-ca" 2>/dev/null
fi
if [ ! -f apiserver.crt ]; then
  openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
  printf "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n" > apiserver.ext
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile apiserver.ext 2>/dev/null
fi
if [ ! -f admin.crt ]; then   # client cert in group system:masters => full access under RBAC
  openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=kube-lab-admin" 2>/dev/null
  printf "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n" > admin.ext
  openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 -extfile admin.ext 2>/dev/null
fi
if [ ! -f sa.key ]; then
  openssl genrsa -out sa.key 2048 2>/dev/null && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
fi
# static bearer token (also system:masters) for curl / clients that prefer tokens
[ -f tokens.csv ] || echo "kube-lab-admin-token,kube-lab-admin,kube-lab-admin,system:masters" > tokens.csv

# ---------- 4. etcd (loopback only) ----------
s=$(date +%s%N)
if [ -f "$RUN/etcd.pid" ] && kill -0 "$(cat "$RUN/etcd.pid")" 2>/dev/null; then echo "etcd already running"; else
  nohup /usr/bin/etcd --name kube-lab --data-dir "$LAB/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "kube-lab=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "http://127.0.0.1:$((ETCD_PORT+2))" \
    > "$RUN/etcd.log" 2>&1 &
  echo $! > "$RUN/etcd.pid"
  for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$ETCD_PORT/health" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$ETCD_PORT/health" >/dev/null || { echo "etcd failed"; tail -20 "$RUN/etcd.log"; exit 1; }
  echo "== etcd healthy after $(( ($(date +%s%N)-s)/1000000 ))ms"
fi

# ---------- 5. kube-apiserver (loopback only) ----------
s=$(date +%s%N)
if [ -f "$RUN/apiserver.pid" ] && kill -0 "$(cat "$RUN/apiserver.pid")" 2>/dev/null; then echo "apiserver already running"; else
  # --endpoint-reconciler-type=none: a loopback advertise address is not a valid Endpoints IP.
  nohup "$LAB/bin/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --secure-port="$API_PORT" \
    --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" --token-auth-file="$PKI/tokens.csv" \
    --authorization-mode=RBAC --anonymous-auth=false \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --api-audiences=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range=10.0.0.0/24 \
    --cert-dir="$RUN/certs" --profiling=false \
    > "$RUN/apiserver.log" 2>&1 &
  echo $! > "$RUN/apiserver.pid"
fi

# ---------- 6. kubeconfig ----------
KC=$LAB/kubeconfig
KUBECONFIG=$KC kubectl config set-cluster kube-lab --server="https://127.0.0.1:$API_PORT" --certificate-authority="$PKI/ca.crt" --embed-certs=true >/dev/null
KUBECONFIG=$KC kubectl config set-credentials kube-lab-admin --client-certificate="$PKI/admin.crt" --client-key="$PKI/admin.key" --embed-certs=true >/dev/null
KUBECONFIG=$KC kubectl config set-context kube-lab --cluster=kube-lab --user=kube-lab-admin --namespace=default >/dev/null
KUBECONFIG=$KC kubectl config use-context kube-lab >/dev/null

# ---------- 7. wait for /readyz ----------
for i in $(seq 1 600); do
  if curl -sf --cacert "$PKI/ca.crt" -H "Authorization: Bearer kube-lab-admin-token" "https://127.0.0.1:$API_PORT/readyz" >/dev/null; then
    echo "== apiserver ready after $(( ($(date +%s%N)-s)/1000000 ))ms (total up.sh: $(( $(now) - T0 ))s)"
    # ---------- 8. optional kube-controller-manager ----------
    if [ "$WITH_KCM" = 1 ]; then
      if [ -f "$RUN/kcm.pid" ] && kill -0 "$(cat "$RUN/kcm.pid")" 2>/dev/null; then echo "kube-controller-manager already running"; else
        nohup "$LAB/bin/kube-controller-manager" --kubeconfig="$KC" --bind-address=127.0.0.1 --port=0 --secure-port=0 \
          --leader-elect=false --controllers='*' --use-service-account-credentials=false \
          --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
          > "$RUN/kcm.log" 2>&1 &
        echo $! > "$RUN/kcm.pid"
        sleep 1; kill -0 "$(cat "$RUN/kcm.pid")" 2>/dev/null || { echo "kube-controller-manager died"; tail -20 "$RUN/kcm.log"; exit 1; }
        echo "== kube-controller-manager started (pid $(cat "$RUN/kcm.pid"))"
      fi
    fi
    echo "export KUBECONFIG=$KC"
    exit 0
  fi
  kill -0 "$(cat "$RUN/apiserver.pid")" 2>/dev/null || { echo "apiserver died"; tail -30 "$RUN/apiserver.log"; exit 1; }
  sleep 0.1
done
echo "apiserver not ready in 60s"; tail -30 "$RUN/apiserver.log"; exit 1
