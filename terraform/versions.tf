# Provider and Terraform versions, and where the state lives.
terraform {
  # >= 1.6: the S3 backend's `endpoints`/`use_path_style` arguments (a non-AWS S3 for the state)
  required_version = ">= 1.6.0"

  required_providers {
    # Selectel's own products: projects, IAM, Managed Kubernetes, Managed Databases, DNS
    selectel = {
      source  = "selectel/selectel"
      version = "~> 8.3"
    }
    # networks, subnets and routers are OpenStack objects in Selectel's cloud
    openstack = {
      source  = "terraform-provider-openstack/openstack"
      version = "~> 3.0"
    }
    # buckets: Selectel S3 speaks the S3 API and the Selectel provider has no bucket resource
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # Remote state in a Selectel S3 bucket (created once by hand, versioning on), one key per
  # environment. Partial configuration: the bucket and credentials are passed at init time,
  #   terraform init -backend-config=backend.hcl        (see backend.hcl.example and README.md)
  # and never committed. Selectel S3 is not AWS: no account/region checks, path-style URLs.
  # No state locking (S3-native `use_lockfile` needs conditional writes, not documented for
  # Selectel S3): CI serialises plan/apply with a resource_group instead.
  backend "s3" {
    region                      = "ru-1"
    use_path_style              = true
    skip_credentials_validation = true
    skip_region_validation      = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_s3_checksum            = true
  }
}
