#!/usr/bin/env bash
# php -S on 127.0.0.1:8083 for the CentralAuth wiki; pid in /tmp/mw-ca/php-s.pid
set -euo pipefail
PIDF=/tmp/mw-ca/php-s.pid
if [ -f $PIDF ] && kill -0 "$(cat $PIDF)" 2>/dev/null; then echo "running $(cat $PIDF)"; exit 0; fi
MW_CONFIG_FILE=/tmp/mw-ca/LocalSettings.php nohup setpriv --reuid=www-data --regid=www-data --init-groups \
  env MW_CONFIG_FILE=/tmp/mw-ca/LocalSettings.php \
  php -d variables_order=EGPCS -d memory_limit=512M -S 127.0.0.1:8083 -t /tmp/mw-ca/htdocs \
  >>/tmp/mw-ca/php-s.log 2>&1 </dev/null &
echo $! > $PIDF
sleep 1
curl -sS 'http://127.0.0.1:8083/w/api.php?action=query&meta=siteinfo&format=json' | head -c 300; echo
