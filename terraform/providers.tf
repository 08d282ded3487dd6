# Credentials come from variables (TF_VAR_… in CI, never committed). One Selectel service user
# with the "member" role in the project drives both the Selectel and the OpenStack provider.

provider "selectel" {
  domain_name = var.selectel_account_id
  username    = var.selectel_username
  password    = var.selectel_password
  auth_region = var.region
  auth_url    = "https://cloud.api.selcloud.ru/identity/v3/"
}

provider "openstack" {
  #checkov:skip=CKV_OPENSTACK_1:Not hard-coded: the password is var.selectel_password (TF_VAR_selectel_password in CI)
  auth_url    = "https://cloud.api.selcloud.ru/identity/v3"
  domain_name = var.selectel_account_id
  tenant_id   = var.project_id
  user_name   = var.selectel_username
  password    = var.selectel_password
  region      = var.region
}

# Selectel S3 through the AWS provider: a custom endpoint, path-style addressing, and none of the
# AWS-only calls (STS account lookup, region list, instance metadata).
provider "aws" {
  region                      = var.s3_region
  access_key                  = var.s3_admin_access_key
  secret_key                  = var.s3_admin_secret_key
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_region_validation      = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {
    s3 = var.s3_endpoint
  }
}
