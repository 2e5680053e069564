#!/usr/bin/env bash
# Second, separate MediaWiki 1.39 (same Debian code in /usr/share/mediawiki)
# with CentralAuth REL1_39, for recording setglobalaccountstatus /
# deleteglobalaccount.  Does NOT touch the :8081 reference wiki
# (/etc/mediawiki/LocalSettings.php, /var/lib/mediawiki-oracle/...).
#
#   bash /tmp/mw-ca/setup.sh            # MWCA_RESET=1 to wipe and reinstall
#   bash /tmp/mw-ca/start.sh            # php -S on 127.0.0.1:8083
#
# Layout:
#   /tmp/mw-ca/LocalSettings.php   selected with MW_CONFIG_FILE (env)
#   /tmp/mw-ca/htdocs/w -> /var/lib/mediawiki   (same symlink farm as 8081)
#   /tmp/mw-ca/data/    oraclewiki.sqlite, centralauth.sqlite, wikicache.sqlite ...
#   /tmp/mw-ca/cache/   $wgCacheDirectory (l10n CDB; NOT /var/cache/mediawiki)
#   /tmp/mw-ca/logs/    debug log groups (NOT /var/log/mediawiki)
#   /tmp/mw-ca/extensions/CentralAuth   git archive REL1_39
set -euo pipefail
BASE=/tmp/mw-ca
MW_IP=/usr/share/mediawiki
DATA=$BASE/data
LS=$BASE/LocalSettings.php
DBNAME=oraclewiki          # same wiki id / cookie prefix as the reference & wikigate
SERVER=http://127.0.0.1:8083
CA_MIRROR=/work/.mirror/wikimedia+mediawiki-extensions-CentralAuth/repo
export MW_CONFIG_FILE=$LS
export MW_INSTALL_PATH=$MW_IP

if [ "${MWCA_RESET:-0}" = 1 ]; then rm -rf "$DATA" "$LS" "$BASE/cache"; fi
mkdir -p "$DATA" "$BASE/htdocs" "$BASE/cache" "$BASE/logs" "$BASE/extensions"
ln -sfn /var/lib/mediawiki "$BASE/htdocs/w"

if [ ! -f "$BASE/extensions/CentralAuth/extension.json" ]; then
  mkdir -p "$BASE/extensions/CentralAuth"
  git --git-dir="$CA_MIRROR" archive refs/heads/REL1_39 | tar -x -C "$BASE/extensions/CentralAuth"
fi
chown -R www-data:www-data "$BASE"

mw() { local s="$1"; case "$s" in /*) ;; *) s="maintenance/$s";; esac
  ( cd "$MW_IP" && setpriv --reuid=www-data --regid=www-data --init-groups env MW_CONFIG_FILE=$LS MW_INSTALL_PATH=$MW_IP php "$s" "${@:2}" ); }

if [ ! -f "$LS" ] || [ ! -f "$DATA/$DBNAME.sqlite" ]; then
  rm -f "$LS" "$DATA"/*.sqlite
  ( cd "$MW_IP" && setpriv --reuid=www-data --regid=www-data --init-groups env MW_CONFIG_FILE=$LS \
      php maintenance/install.php --confpath "$BASE" \
      --dbtype sqlite --dbpath "$DATA" --dbname "$DBNAME" \
      --server "$SERVER" --scriptpath /w --lang en --pass AdminPassword-1234 \
      --skins Vector "Oracle Wiki" Admin )
fi

MARK_BEGIN="# >>> mw-ca settings >>>"; MARK_END="# <<< mw-ca settings <<<"
sed -i "/^$MARK_BEGIN\$/,/^$MARK_END\$/d" "$LS"
cat >>"$LS" <<PHP
$MARK_BEGIN
# Own cache and log dirs (PlatformSettings.php points at the 8081 wiki's).
\$wgCacheDirectory = '$BASE/cache';
\$wgDebugLogGroups['exception'] = '$BASE/logs/exception.log';
\$wgDebugLogGroups['error'] = '$BASE/logs/error.log';
\$wgDebugLogGroups['fatal'] = '$BASE/logs/fatal.log';
\$wgUsePathInfo = true;
\$wgArticlePath = "\$wgScriptPath/index.php/\$1";
\$wgEnableEmail = true; \$wgEnableUserEmail = true; \$wgEmailAuthentication = false;
\$wgEmergencyContact = 'wiki@oracle.test'; \$wgPasswordSender = 'wiki@oracle.test';
\$wgSMTP = [ 'host' => '127.0.0.1', 'IDHost' => 'oracle.test', 'localhost' => 'oracle.test', 'port' => 8025, 'auth' => false ];
\$wgPasswordResetRoutes = [ 'username' => true, 'email' => true ];
\$wgEnableBotPasswords = true;
\$wgMainCacheType = CACHE_DB;
\$wgSessionCacheType = CACHE_DB;
wfLoadExtension( 'OATHAuth' );

# --- CentralAuth (REL1_39) ---
wfLoadExtension( 'CentralAuth', '$BASE/extensions/CentralAuth/extension.json' );
\$wgCentralAuthDatabase = 'centralauth';   # -> $DATA/centralauth.sqlite
\$wgLocalDatabases = [ '$DBNAME' ];
\$wgConf->wikis = \$wgLocalDatabases;
\$wgConf->suffixes = [ 'wiki' ];
\$wgConf->settings['wgServer'] = [ 'default' => '$SERVER' ];
\$wgConf->settings['wgCanonicalServer'] = [ 'default' => '$SERVER' ];
\$wgConf->settings['wgArticlePath'] = [ 'default' => '/w/index.php/\$1' ];
\$wgConf->settings['wgScriptPath'] = [ 'default' => '/w' ];
\$wgCentralAuthAutoMigrate = true;
\$wgCentralAuthAutoMigrateNonGlobalAccounts = true;
\$wgCentralAuthCookies = false;
# The steward group's rights (centralauth-lock, -suppress, -unmerge, -createlocal) come from
# CentralAuth's extension.json; bureaucrats hold 'userrights' and can add it.
$MARK_END
PHP
chown www-data:www-data "$LS"; chmod 0640 "$LS"

# central database
if [ ! -f "$DATA/centralauth.sqlite" ]; then
  setpriv --reuid=www-data --regid=www-data --init-groups \
    sqlite3 "$DATA/centralauth.sqlite" < "$BASE/extensions/CentralAuth/schema/sqlite/tables-generated.sql"
fi
mw update.php --quick

mw createAndPromote.php --force --sysop --bureaucrat Admin AdminPassword-1234
# Resting state = wikigate's conformance seed (Admin: sysop, bureaucrat, interface-admin, no steward).
# Every conformance scenario makes Admin a steward itself (action=userrights add=steward, a setup
# step) and takes it away again at its end, so both wikis answer that step the same way.
# For manual use:  MWCA_ADMIN_STEWARD=1 bash setup.sh  leaves Admin a steward.
if [ "${MWCA_ADMIN_STEWARD:-0}" = 1 ]; then
  mw createAndPromote.php --force --custom-groups steward Admin AdminPassword-1234
else
  setpriv --reuid=www-data --regid=www-data --init-groups sqlite3 "$DATA/$DBNAME.sqlite" \
    "DELETE FROM user_groups WHERE ug_group='steward' AND ug_user=(SELECT user_id FROM user WHERE user_name='Admin')"
fi
mw createAndPromote.php --force Alice AlicePassword-1234
mw createAndPromote.php --force --sysop Mindy MindyPassword-1234
mw resetUserEmail.php --no-reset-password Alice alice@example.org
mw resetUserEmail.php --no-reset-password Mindy mindy@example.org
# make every local account global and attached
mw "$BASE/extensions/CentralAuth/maintenance/migratePass0.php" || true
mw "$BASE/extensions/CentralAuth/maintenance/migratePass1.php" || true
chown -R www-data:www-data "$BASE"
echo "setup done"
