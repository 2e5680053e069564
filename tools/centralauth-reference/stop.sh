#!/usr/bin/env bash
# Stops the :8083 php -S started by start.sh (by its PID file only).
PIDF=/tmp/mw-ca/php-s.pid
if [ -f $PIDF ] && kill -0 "$(cat $PIDF)" 2>/dev/null; then kill "$(cat $PIDF)"; echo "stopped $(cat $PIDF)"; fi
rm -f $PIDF
