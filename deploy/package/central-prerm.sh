#!/bin/sh
# badgeuse-central prerm: stop the service on removal (an upgrade restarts
# it in postinst). The data folder and the user stay.
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl disable --now centrald.service >/dev/null 2>&1 || true
fi
