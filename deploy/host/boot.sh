#!/bin/bash
# The app host's boot (run by the user data at every boot): fetches the release that
# /etc/reactive-cache/release.env names, renders the services' environment with this host's private
# address and their secrets from SSM (into /run, never onto disk), installs the units and (re)starts the
# orchestrator and the gateway.
set -euo pipefail

conf=/etc/reactive-cache
run=/run/reactive-cache
opt=/opt/reactive-cache
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=/dev/null
. "$conf/release.env" # REGION, ARTIFACT_BUCKET, GATEWAY_KEY, ORCHESTRATOR_KEY

imds() {
  local token
  token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')
  curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# A self-contained publish into $opt/<name>, replaced whole (no file of an older release stays behind).
fetch_release() {
  local name=$1 key=$2
  rm -rf "${opt:?}/${name:?}.new"
  install -d -m 0755 "$opt/$name.new"
  aws s3 cp --only-show-errors --region "$REGION" "s3://$ARTIFACT_BUCKET/$key" "$opt/$name.tar.gz"
  tar -xzf "$opt/$name.tar.gz" -C "$opt/$name.new"
  rm -rf "${opt:?}/${name:?}" "$opt/$name.tar.gz"
  mv "$opt/$name.new" "$opt/$name"
}

# Each line of <name>.secrets is KEY=/ssm/parameter/name; the rendered file has KEY=value.
render_secrets() {
  local name=$1 key parameter value
  : > "$run/$name.secrets.env"
  while IFS='=' read -r key parameter; do
    [ -n "$key" ] || continue
    value=$(aws ssm get-parameter --region "$REGION" --with-decryption --name "$parameter" \
      --query Parameter.Value --output text)
    printf '%s=%s\n' "$key" "$value" >> "$run/$name.secrets.env"
  done < "$conf/$name.secrets"
}

private_ip=$(imds local-ipv4)
umask 077
install -d -m 0700 "$run"

fetch_release gateway "$GATEWAY_KEY"
fetch_release orchestrator "$ORCHESTRATOR_KEY"
for name in gateway orchestrator; do
  sed "s/@PRIVATE_IP@/$private_ip/g" "$conf/$name.env" > "$run/$name.env"
  render_secrets "$name"
done

install -m 0644 "$here/reactive-cache-gateway.service" "$here/reactive-cache-orchestrator.service" /etc/systemd/system/
systemctl daemon-reload
systemctl restart reactive-cache-orchestrator.service reactive-cache-gateway.service
