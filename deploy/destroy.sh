#!/usr/bin/env bash
# Removes everything deploy.sh made: empties the buckets, deletes the app stack and the artifact stack, and
# deletes the secrets. Idempotent: what is already gone is skipped. See deploy/README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/destroy.sh [--stack NAME] [--region REGION] [--endpoint-url URL] [--keep-secrets]

  --stack NAME         the stack deploy.sh created (default reactive-cache)
  --region REGION      default: AWS_REGION, AWS_DEFAULT_REGION, then eu-central-1
  --endpoint-url URL   make every AWS call against this AWS-compatible endpoint (an offline AWS for tests)
  --keep-secrets       leave the SSM parameters (a later deploy then reuses them)
EOF
}

stack=reactive-cache
region=${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-central-1}}
endpoint_url=""
keep_secrets=false
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack=${2:?}; shift 2 ;;
    --region) region=${2:?}; shift 2 ;;
    --endpoint-url) endpoint_url=${2:?}; shift 2 ;;
    --keep-secrets) keep_secrets=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "destroy.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

fail() { echo "destroy.sh: $*" >&2; exit 1; }
[ -n "$endpoint_url" ] && export AWS_EC2_METADATA_DISABLED=true
command -v aws >/dev/null || fail "the AWS CLI (aws) is needed"

aws_call() { aws ${endpoint_url:+--endpoint-url "$endpoint_url"} --region "$region" "$@"; }

# A resource's physical id by its logical id (works whatever state the stack is in, with or without
# outputs); empty when the stack or the resource does not exist.
resource_of() {
  aws_call cloudformation list-stack-resources --stack-name "$1" \
    --query "StackResourceSummaries[?LogicalResourceId=='$2'].PhysicalResourceId | [0]" --output text 2>/dev/null || true
}

empty_bucket() {
  local bucket=$1
  [ -n "$bucket" ] && [ "$bucket" != None ] || return 0
  if aws_call s3api head-bucket --bucket "$bucket" > /dev/null 2>&1; then
    echo "emptying s3://$bucket"
    aws_call s3 rm --only-show-errors --recursive "s3://$bucket"
  fi
}

delete_stack() {
  local name=$1 out
  if ! out=$(aws_call cloudformation describe-stacks --stack-name "$name" --query 'Stacks[0].StackStatus' --output text 2>&1); then
    grep -q 'does not exist' <<<"$out" || fail "describe-stacks $name: $out"
    echo "$name: already gone"
    return 0
  fi
  echo "deleting $name ($out)"
  # An offline AWS (moto 5) deletes a stack's resources in an order of chance and may give up on the VPC with
  # DependencyViolation (a route table, the gateway attachment still there); the stack is gone all the same, and
  # remove_leftover_vpc below clears what it left. Against AWS a failed delete stops the script.
  aws_call cloudformation delete-stack --stack-name "$name" || [ -n "$endpoint_url" ] || fail "delete-stack $name failed"
  # A VPC-attached function's network interfaces can take several minutes to be released.
  aws_call cloudformation wait stack-delete-complete --stack-name "$name"
  echo "$name: deleted"
}

# What an offline AWS's stack deletion may leave of the stack's VPC (see delete_stack): its internet gateway,
# route tables, subnets and security groups, then the VPC. Only with --endpoint-url.
remove_leftover_vpc() {
  local vpc=$1 id
  [ -n "$vpc" ] && [ "$vpc" != None ] || return 0
  aws_call ec2 describe-vpcs --vpc-ids "$vpc" > /dev/null 2>&1 || return 0
  echo "removing what the offline AWS left of $vpc"
  for id in $(aws_call ec2 describe-internet-gateways --filters "Name=attachment.vpc-id,Values=$vpc" --query 'InternetGateways[].InternetGatewayId' --output text); do
    aws_call ec2 detach-internet-gateway --internet-gateway-id "$id" --vpc-id "$vpc"
    aws_call ec2 delete-internet-gateway --internet-gateway-id "$id"
  done
  for id in $(aws_call ec2 describe-subnets --filters "Name=vpc-id,Values=$vpc" --query 'Subnets[].SubnetId' --output text); do
    aws_call ec2 delete-subnet --subnet-id "$id"
  done
  # The main route table and the default security group go with the VPC: their deletes are refused and ignored.
  for id in $(aws_call ec2 describe-route-tables --filters "Name=vpc-id,Values=$vpc" --query 'RouteTables[].RouteTableId' --output text); do
    aws_call ec2 delete-route-table --route-table-id "$id" 2> /dev/null || true
  done
  for id in $(aws_call ec2 describe-security-groups --filters "Name=vpc-id,Values=$vpc" --query 'SecurityGroups[].GroupId' --output text); do
    aws_call ec2 delete-security-group --group-id "$id" 2> /dev/null || true
  done
  aws_call ec2 delete-vpc --vpc-id "$vpc"
}

empty_bucket "$(resource_of "$stack" ObjectBucket)"
vpc=""
if [ -n "$endpoint_url" ]; then
  vpc=$(resource_of "$stack" Vpc)
  # The offline AWS of the tests (moto 5) does not delete a stack's VPC endpoint with the stack and then
  # cannot delete the VPC: delete it first there. AWS deletes it with the stack.
  s3_endpoint=$(resource_of "$stack" S3Endpoint)
  if [ -n "$s3_endpoint" ] && [ "$s3_endpoint" != None ]; then
    aws_call ec2 delete-vpc-endpoints --vpc-endpoint-ids "$s3_endpoint" > /dev/null
  fi
fi
delete_stack "$stack"
[ -z "$endpoint_url" ] || remove_leftover_vpc "$vpc"
empty_bucket "$(resource_of "$stack-artifacts" ArtifactBucket)"
delete_stack "$stack-artifacts"

if ! $keep_secrets; then
  names=()
  # cache-node-password: the one node password of earlier deployments (before the reader and writer users).
  for name in tunnel-secret cache-node-reader-password cache-node-writer-password cache-node-password control-api-key gateway-link-secret; do
    names+=("/reactive-cache/$stack/$name")
  done
  # Missing names are reported as InvalidParameters, not as an error.
  aws_call ssm delete-parameters --names "${names[@]}" --query 'DeletedParameters' --output text
  echo "secrets under /reactive-cache/$stack deleted"
fi
