#!/bin/sh
# Fill in the template's ${VARIABLES} (only these: nginx's own $variables stay), then run nginx.
set -eu
envsubst '${DJANGO_UPSTREAM} ${NGINX_LISTEN} ${NGINX_ONION_PORT} ${NGINX_CACHE_DIR} ${STATIC_ROOT} ${MEDIA_ROOT}
  ${NGINX_REAL_IP_FROM} ${NGINX_REAL_IP_HEADER} ${NGINX_PURGE_LISTEN} ${NGINX_PURGE_FROM}' \
  < /etc/nginx/templates/site.conf.template > /etc/nginx/sites-enabled/site.conf
mkdir -p "$NGINX_CACHE_DIR"
chown www-data "$NGINX_CACHE_DIR"
exec nginx -g 'daemon off;'
