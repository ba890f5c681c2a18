#!/bin/sh
# Tor needs an IP address for the service's target: look up nginx's, then run Tor as debian-tor.
# The onion address is in /var/lib/tor/site/hostname once Tor has started.
set -eu
target=$(getent hosts "${ONION_TARGET_HOST:-nginx}" | awk '{ print $1; exit }')
cat > /etc/tor/torrc <<TORRC
DataDirectory /var/lib/tor
SocksPort 0
HiddenServiceDir /var/lib/tor/site
HiddenServicePort 80 ${target}:${ONION_TARGET_PORT:-8081}
# A PROXY protocol line naming the circuit: nginx tells readers apart by it.
HiddenServiceExportCircuitID haproxy
TORRC
chown -R debian-tor /var/lib/tor
chmod 700 /var/lib/tor
exec su -s /bin/sh debian-tor -c 'exec tor -f /etc/tor/torrc'
