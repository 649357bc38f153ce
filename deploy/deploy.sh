#!/usr/bin/env bash
# Deploys ReactiveCache to AWS: builds every artifact, uploads them under content-hash keys, creates the
# secrets that are missing (SSM SecureString), and creates or updates the two stacks (artifacts.yaml, then
# stack.yaml). Credentials and region come from the AWS CLI's normal chain. See deploy/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/deploy.sh --client-cidr CIDR [options]

  --client-cidr CIDR      the only addresses allowed to reach the gateway (e.g. 203.0.113.7/32); required
  --stack NAME            stack name (default reactive-cache); the artifact stack is NAME-artifacts
  --region REGION         default: AWS_REGION, AWS_DEFAULT_REGION, then eu-central-1
  --parameter KEY=VALUE   another stack.yaml parameter (repeatable), e.g. FunctionMemory=2048
  --dry-run               build every artifact and print every AWS call instead of making it (no credentials needed)
  --endpoint-url URL      make every AWS call against this AWS-compatible endpoint (an offline AWS for tests):
                          nothing else is contacted, and the cache node is stopped directly (such an endpoint
                          runs no user data)
  --build-dir DIR         where artifacts are built (default artifacts/deploy)
  --function-publish DIR  use this Native AOT publish of ReactiveCache.Lambda instead of publishing it again
  --no-build              use the artifacts already in the build directory
EOF
}

repo=$(cd "$(dirname "$0")/.." && pwd)
stack=reactive-cache
region=${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-central-1}}
client_cidr=""
dry_run=false
endpoint_url=""
build_dir="$repo/artifacts/deploy"
function_publish=""
build=true
overrides=()

while [ $# -gt 0 ]; do
  case "$1" in
    --client-cidr) client_cidr=${2:?}; shift 2 ;;
    --stack) stack=${2:?}; shift 2 ;;
    --region) region=${2:?}; shift 2 ;;
    --parameter) overrides+=("${2:?}"); shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --endpoint-url) endpoint_url=${2:?}; shift 2 ;;
    --build-dir) build_dir=${2:?}; shift 2 ;;
    --function-publish) function_publish=${2:?}; shift 2 ;;
    --no-build) build=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

fail() { echo "deploy.sh: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*"; }

[ -n "$client_cidr" ] || fail "--client-cidr is required (the addresses allowed to reach the gateway, e.g. 203.0.113.7/32)"
[[ "$client_cidr" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$ ]] || fail "--client-cidr '$client_cidr' is not an IPv4 CIDR"
[[ "$stack" =~ ^[a-z][a-z0-9-]{0,40}$ ]] || fail "--stack '$stack': lower-case letters, digits and dashes, at most 41"

# The names every script and the template agree on (the template's AppHost and node roles may read exactly these).
secret_names=(tunnel-secret cache-node-reader-password cache-node-writer-password control-api-key gateway-link-secret)
parameter_path="/reactive-cache/$stack"
artifact_stack="$stack-artifacts"
function_name="$stack-function"

if [ -n "$endpoint_url" ] || $dry_run; then
  # Never ask the instance metadata service (a link-local address) for credentials or the region.
  export AWS_EC2_METADATA_DISABLED=true
fi

# Every AWS call goes through aws_call (output discarded) or aws_get (output returned). A dry run prints
# the call on stdout instead and returns the placeholder given to aws_get.
exec 3>&1
aws_call() {
  if $dry_run; then
    { printf 'aws'; printf ' %q' ${endpoint_url:+--endpoint-url "$endpoint_url"} --region "$region" "$@"; printf '\n'; } >&3
    return 0
  fi
  aws ${endpoint_url:+--endpoint-url "$endpoint_url"} --region "$region" "$@"
}
aws_get() {
  local placeholder=$1; shift
  if $dry_run; then
    aws_call "$@"
    printf '%s\n' "$placeholder"
    return 0
  fi
  aws_call "$@" --output text
}

# ---------------------------------------------------------------------------------------------- build
release_file="$build_dir/release.env"

# A tarball whose bytes depend only on the files (names sorted, times and owners fixed, gzip without a name).
pack_tar() {
  local dir=$1 out=$2
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir" -cf - . | gzip -n -9 > "$out"
}

# The function's zip: bootstrap at its root, mode 755, a fixed time stamp.
pack_function() {
  local publish=$1 out=$2 stage
  [ -f "$publish/bootstrap" ] || fail "no bootstrap in $publish (publish ReactiveCache.Lambda with -r linux-x64)"
  stage=$(mktemp -d)
  cp "$publish/bootstrap" "$stage/bootstrap"
  chmod 755 "$stage/bootstrap"
  TZ=UTC touch -t 198001010000 "$stage/bootstrap"
  rm -f "$out"
  (cd "$stage" && zip -q -X "$out" bootstrap)
  rm -rf "$stage"
}

# Lambda's provided.al2023 runtime has glibc 2.34: a bootstrap linked against a newer one does not start there.
check_glibc() {
  local binary=$1 newest
  newest=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
  [ -n "$newest" ] || fail "$binary: no glibc symbol versions found (objdump -T)"
  if [ "$(printf '%s\n2.34\n' "$newest" | sort -V | tail -n 1)" != "2.34" ]; then
    fail "$binary needs glibc $newest; Amazon Linux 2023 (provided.al2023) has 2.34"
  fi
  echo "bootstrap needs glibc $newest at most (provided.al2023 has 2.34)"
}

keyed() { # name file extension -> releases/name-sha256.extension
  printf 'releases/%s-%s.%s' "$1" "$(sha256sum "$2" | cut -d' ' -f1)" "$3"
}

if $build; then
  step "building the artifacts into $build_dir"
  for tool in dotnet tar gzip zip sha256sum objdump; do
    command -v "$tool" >/dev/null || fail "$tool is needed to build the artifacts"
  done
  mkdir -p "$build_dir/publish" "$build_dir/packages"
  if [ -z "$function_publish" ]; then
    function_publish="$build_dir/publish/function"
    dotnet publish "$repo/ReactiveCache.Lambda" -c Release -r linux-x64 -o "$function_publish" -nologo -clp:ErrorsOnly
  fi
  for project in Gateway Orchestrator; do
    dotnet publish "$repo/ReactiveCache.$project" -c Release -r linux-x64 --self-contained \
      -o "$build_dir/publish/${project,,}" -nologo -clp:ErrorsOnly
  done

  packages="$build_dir/packages"
  pack_function "$function_publish" "$packages/function.zip"
  pack_tar "$build_dir/publish/gateway" "$packages/gateway.tar.gz"
  pack_tar "$build_dir/publish/orchestrator" "$packages/orchestrator.tar.gz"
  pack_tar "$repo/deploy/host" "$packages/host.tar.gz"
  cp "$function_publish/bootstrap" "$packages/bootstrap"
  {
    echo "FUNCTION_KEY=$(keyed function "$packages/function.zip" zip)"
    echo "GATEWAY_KEY=$(keyed gateway "$packages/gateway.tar.gz" tar.gz)"
    echo "ORCHESTRATOR_KEY=$(keyed orchestrator "$packages/orchestrator.tar.gz" tar.gz)"
    echo "HOST_KEY=$(keyed host "$packages/host.tar.gz" tar.gz)"
  } > "$release_file"
fi

[ -f "$release_file" ] || fail "no artifacts in $build_dir: run without --no-build first"
# shellcheck source=/dev/null
. "$release_file"
packages="$build_dir/packages"
check_glibc "$packages/bootstrap"
cat "$release_file"

if ! $dry_run; then
  command -v aws >/dev/null || fail "the AWS CLI (aws) is needed; see deploy/README.md"
fi

# ---------------------------------------------------------------------------------------------- stacks
stack_status() { # prints the stack's status, or NONE when it does not exist
  local name=$1 out
  if $dry_run; then
    aws_call cloudformation describe-stacks --stack-name "$name" --query 'Stacks[0].StackStatus'
    echo NONE
    return
  fi
  if out=$(aws_call cloudformation describe-stacks --stack-name "$name" --query 'Stacks[0].StackStatus' --output text 2>&1); then
    echo "$out"
  elif grep -q 'does not exist' <<<"$out"; then
    echo NONE
  else
    fail "describe-stacks $name: $out"
  fi
}

# A stack whose creation failed stays in ROLLBACK_COMPLETE and can only be deleted: do that first.
recover() {
  local name=$1 status
  status=$(stack_status "$name")
  if [ "$status" = ROLLBACK_COMPLETE ]; then
    echo "$name is in ROLLBACK_COMPLETE (its creation failed): deleting it before creating it again"
    aws_call cloudformation delete-stack --stack-name "$name"
    aws_call cloudformation wait stack-delete-complete --stack-name "$name"
  fi
}

# A resource's physical id by its logical id in the template (also where a stack reports no outputs).
stack_resource() { # stack logical-id placeholder
  aws_get "$3" cloudformation list-stack-resources --stack-name "$1" \
    --query "StackResourceSummaries[?LogicalResourceId=='$2'].PhysicalResourceId | [0]"
}

# aws cloudformation deploy, where an unchanged template and parameters are no error: the CLI's
# --no-fail-on-empty-changeset covers AWS's answer; some compatible endpoints refuse the change set at once
# ("No updates are to be performed", as AWS's UpdateStack says it), which means the same.
cfn_deploy() {
  local out
  if $dry_run; then
    aws_call cloudformation deploy --no-fail-on-empty-changeset --tags Project=ReactiveCache "$@"
  elif ! out=$(aws_call cloudformation deploy --no-fail-on-empty-changeset --tags Project=ReactiveCache "$@" 2>&1 | tee /dev/stderr); then
    grep -q 'No updates are to be performed' <<<"$out" || fail "cloudformation deploy failed (see above; the stack's events say which resource)"
    echo "No changes to deploy."
  fi
}

# ---------------------------------------------------------------------------------------------- secrets
step "secrets (SSM SecureString under $parameter_path, created when missing)"
for name in "${secret_names[@]}"; do
  parameter="$parameter_path/$name"
  if $dry_run; then
    aws_call ssm get-parameter --name "$parameter" --query Parameter.Name
    echo "# when missing:"
    aws_call ssm put-parameter --name "$parameter" --type SecureString --value 'file://<48 random characters>'
    continue
  fi
  if out=$(aws_call ssm get-parameter --name "$parameter" --query Parameter.Name --output text 2>&1); then
    echo "$parameter exists"
  elif grep -q ParameterNotFound <<<"$out"; then
    # The value goes through a private file, not the command line (which other users can read in ps).
    secret_file=$(mktemp)
    chmod 600 "$secret_file"
    secret=$(head -c 1024 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')
    printf '%s' "${secret:0:48}" > "$secret_file"
    aws_call ssm put-parameter --name "$parameter" --type SecureString --value "file://$secret_file" \
      --tags Key=Project,Value=ReactiveCache > /dev/null
    rm -f "$secret_file"
    echo "$parameter created"
  else
    fail "get-parameter $parameter: $out"
  fi
done

# ---------------------------------------------------------------------------------------------- artifacts
step "artifact stack $artifact_stack"
recover "$artifact_stack"
cfn_deploy --stack-name "$artifact_stack" --template-file "$repo/deploy/artifacts.yaml"
artifact_bucket=$(stack_resource "$artifact_stack" ArtifactBucket '<artifact-bucket>')

step "uploading the release to s3://$artifact_bucket (keys are content hashes: an unchanged artifact is not sent again)"
upload() { # file key
  if $dry_run; then
    aws_call s3api head-object --bucket "$artifact_bucket" --key "$2"
    aws_call s3 cp --only-show-errors "$1" "s3://$artifact_bucket/$2"
  elif aws_call s3api head-object --bucket "$artifact_bucket" --key "$2" > /dev/null 2>&1; then
    echo "$2 is there"
  else
    aws_call s3 cp --only-show-errors "$1" "s3://$artifact_bucket/$2"
    echo "$2 uploaded"
  fi
}
upload "$packages/function.zip" "$FUNCTION_KEY"
upload "$packages/gateway.tar.gz" "$GATEWAY_KEY"
upload "$packages/orchestrator.tar.gz" "$ORCHESTRATOR_KEY"
upload "$packages/host.tar.gz" "$HOST_KEY"

# ---------------------------------------------------------------------------------------------- the app stack
step "stack $stack"
recover "$stack"
status_before=$(stack_status "$stack")
cfn_deploy --stack-name "$stack" --template-file "$repo/deploy/stack.yaml" --capabilities CAPABILITY_IAM \
  --parameter-overrides "ClientCidr=$client_cidr" "ArtifactBucket=$artifact_bucket" \
  "FunctionArtifactKey=$FUNCTION_KEY" "GatewayArtifactKey=$GATEWAY_KEY" \
  "OrchestratorArtifactKey=$ORCHESTRATOR_KEY" "HostArtifactKey=$HOST_KEY" ${overrides[@]+"${overrides[@]}"}

step "waiting for the function to be active"
aws_call lambda wait function-active-v2 --function-name "$function_name"

node=$(stack_resource "$stack" CacheNode '<cache-node-instance-id>')
if [ "$status_before" = NONE ]; then
  if [ -n "$endpoint_url" ]; then
    step "stopping the cache node $node (an offline endpoint runs no user data, so it does not stop itself)"
    aws_call ec2 stop-instances --instance-ids "$node" > /dev/null
  else
    step "waiting for the cache node $node to install Redis on its first boot and stop itself"
  fi
  aws_call ec2 wait instance-stopped --instance-ids "$node"
fi

bucket=$(stack_resource "$stack" ObjectBucket '<object-bucket>')
app_host=$(stack_resource "$stack" AppHost '<app-host-instance-id>')
public_ip=$(aws_get '<app-host-public-ip>' ec2 describe-instances --instance-ids "$app_host" \
  --query 'Reservations[0].Instances[0].PublicIpAddress')
gateway_port=80
for override in ${overrides[@]+"${overrides[@]}"}; do
  case "$override" in GatewayPort=*) gateway_port=${override#GatewayPort=} ;; esac
done
gateway_url="http://$public_ip:$gateway_port"
if $dry_run || ! aws_call s3api head-object --bucket "$bucket" --key index.html > /dev/null 2>&1; then
  page=$(mktemp)
  echo '<!doctype html><title>ReactiveCache</title><p>Served by ReactiveCache from S3.</p>' > "$page"
  aws_call s3api put-object --bucket "$bucket" --key index.html --body "$page" --content-type text/html > /dev/null
  rm -f "$page"
fi

step "deployed"
aws_call cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].Outputs' --output table
cat <<EOF
Gateway URL:     $gateway_url
Object bucket:   $bucket
Cache node:      $node (stopped until the orchestrator starts it)
Function:        $function_name

Put objects into the store:   aws s3 cp FILE s3://$bucket/KEY
First request (from $client_cidr; the app host needs a minute or two after its first boot):
  curl -i $gateway_url/objects/index.html
Tear down:                    deploy/destroy.sh --stack $stack --region $region
EOF
