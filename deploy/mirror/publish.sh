#!/bin/sh
# The `mirror` service: export the public site every MIRROR_INTERVAL seconds into
# MIRROR_DIR (only what changed is rendered again) and, when MIRROR_TARGET is set, copy it
# there with rclone: a local directory, or a bucket of any S3-compatible storage, configured
# entirely by environment variables (README: "Static mirrors"). MIRROR_ONCE=1 runs one round.
# Why a loop of its own and not a job of cms.scheduler: the export needs rclone and the
# `mirror` volume, which the worker has not; a full export takes minutes (bench/mirror.py),
# which on the worker's queue would hold up the work on new comments; and a round starts only
# after the last one ended, so two exports never overlap.
set -u
dir=${MIRROR_DIR:-/export/site}
while :; do
  status=0
  if python manage.py export_site "$dir"; then
    if [ -n "${MIRROR_TARGET:-}" ]; then
      # --checksum: compare contents, not times. The export's bookkeeping file stays home.
      rclone sync --checksum --exclude "/.mirror-export.json" "$dir" "$MIRROR_TARGET" || {
        status=1
        echo "mirror: publishing to $MIRROR_TARGET failed; trying again next round" >&2
      }
    fi
  else
    status=1
    echo "mirror: the export failed (see above); the previous copy is still in place" >&2
  fi
  [ "${MIRROR_ONCE:-0}" = 1 ] && exit "$status"
  sleep "${MIRROR_INTERVAL:-300}"
done
