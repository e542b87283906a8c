#!/bin/bash
# Herald's copy of the team's kube-lab recipe: the counterpart of up.sh.
# Stop kube-controller-manager (if any), kube-apiserver and etcd started by up.sh (by PID file only). Pass --wipe to also delete etcd data.
LAB=${LAB:-$HOME/.cache/kube-lab}; RUN=$LAB/run
for c in kcm apiserver etcd; do
  f=$RUN/$c.pid
  if [ -f $f ]; then
    p=$(cat $f)
    if kill -0 $p 2>/dev/null; then
      kill $p; for i in $(seq 1 50); do kill -0 $p 2>/dev/null || break; sleep 0.2; done
      kill -0 $p 2>/dev/null && kill -9 $p
      echo "stopped $c (pid $p)"
    else echo "$c (pid $p) not running"; fi
    rm -f $f
  fi
done
[ "${1:-}" = "--wipe" ] && rm -rf $LAB/etcd-data && echo "etcd data wiped"
exit 0
