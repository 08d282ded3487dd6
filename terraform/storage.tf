# Object storage (Selectel S3, managed through the AWS provider's S3 resources):
#   media   — private course media (videos, files); browsers get presigned URLs only (docs/storage.md)
#   backups — private per-tenant logical backups written by the app (backup_tenant)
#   assets  — public branding logos and course covers, the origin of the CDN (MEDIA_PUBLIC_BASE_URL)
# The application gets its own service user and S3 key; Terraform's admin key never reaches pods.

locals {
  buckets = {
    media   = "${var.bucket_prefix}-${var.environment}-media"
    backups = "${var.bucket_prefix}-${var.environment}-backups"
    assets  = "${var.bucket_prefix}-${var.environment}-assets"
  }
  # Browsers upload media parts straight to the bucket from every tenant host.
  cors_origins = ["https://${var.base_domain}", "https://*.${var.base_domain}"]
}

# ---- the application's S3 identity ----------------------------------------------------------

resource "random_password" "app_service_user" {
  length      = 32
  min_upper   = 2
  min_lower   = 2
  min_numeric = 2
  special     = false
}

resource "selectel_iam_serviceuser_v1" "app" {
  name     = "${local.name}-app"
  password = random_password.app_service_user.result

  # S3 access within this project only; the user can do nothing else in the account.
  role {
    role_name  = "object_storage_user"
    scope      = "project"
    project_id = var.project_id
  }
}

resource "selectel_iam_s3_credentials_v1" "app" {
  user_id    = selectel_iam_serviceuser_v1.app.id
  project_id = var.project_id
  name       = "${local.name}-app"
}

# ---- buckets ----------------------------------------------------------------------------------

resource "aws_s3_bucket" "media" {
  #checkov:skip=CKV2_AWS_6:Selectel S3 has no PublicAccessBlock API; the bucket is private and no public ACL or policy is ever set on it
  #checkov:skip=CKV_AWS_144:Cross-region replication is not offered by Selectel S3; versioning protects against deletion
  #checkov:skip=CKV_AWS_145:No KMS on Selectel S3; see s3_server_side_encryption and terraform/README.md
  #checkov:skip=CKV2_AWS_62:No S3 event notifications on Selectel S3; the app records every upload itself
  #checkov:skip=CKV_AWS_18:Access logging is configured in the Selectel panel, not through the S3 API
  bucket = local.buckets.media
}

resource "aws_s3_bucket" "backups" {
  #checkov:skip=CKV2_AWS_6:Selectel S3 has no PublicAccessBlock API; the bucket is private and no public ACL or policy is ever set on it
  #checkov:skip=CKV_AWS_144:Cross-region replication is not offered by Selectel S3; versioning protects against deletion
  #checkov:skip=CKV_AWS_145:No KMS on Selectel S3; backups are requested with server-side encryption per object by the app
  #checkov:skip=CKV2_AWS_62:No S3 event notifications on Selectel S3
  #checkov:skip=CKV_AWS_18:Access logging is configured in the Selectel panel, not through the S3 API
  bucket = local.buckets.backups
}

resource "aws_s3_bucket" "assets" {
  #checkov:skip=CKV2_AWS_6:Public on purpose (CDN origin for logos and covers); Selectel S3 has no PublicAccessBlock API
  #checkov:skip=CKV_AWS_144:Public, re-creatable assets; replication is not offered by Selectel S3
  #checkov:skip=CKV_AWS_145:Public content: encryption at rest protects nothing here
  #checkov:skip=CKV2_AWS_62:No S3 event notifications on Selectel S3
  #checkov:skip=CKV_AWS_18:Access logging is the CDN's (Selectel panel)
  bucket = local.buckets.assets
}

# Versioning: a deleted or overwritten object stays recoverable until the lifecycle rule below
# expires the old version.
resource "aws_s3_bucket_versioning" "this" {
  for_each = {
    media   = aws_s3_bucket.media.id
    backups = aws_s3_bucket.backups.id
    assets  = aws_s3_bucket.assets.id
  }
  bucket = each.value
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "media" {
  bucket     = aws_s3_bucket.media.id
  depends_on = [aws_s3_bucket_versioning.this]

  # abandoned browser uploads (docs/storage.md: "a lifecycle rule also aborts incomplete uploads")
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
  rule {
    id     = "expire-old-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  bucket     = aws_s3_bucket.backups.id
  depends_on = [aws_s3_bucket_versioning.this]

  # The app keeps 7 daily + 4 weekly backups and deletes older ones; a deleted backup stays
  # recoverable for 30 days (protection against a mistaken or malicious purge).
  rule {
    id     = "expire-deleted-backups"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "assets" {
  bucket     = aws_s3_bucket.assets.id
  depends_on = [aws_s3_bucket_versioning.this]

  rule {
    id     = "expire-old-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

# Direct-to-storage multipart uploads from the SPA need PUT from the tenant hosts and the ETag of
# every part (docs/storage.md). Custom domains of tenants are added to allowed_origins as they
# are verified.
resource "aws_s3_bucket_cors_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  cors_rule {
    allowed_methods = ["GET", "HEAD", "PUT"]
    allowed_origins = local.cors_origins
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = var.s3_server_side_encryption ? {
    media   = aws_s3_bucket.media.id
    backups = aws_s3_bucket.backups.id
  } : {}
  bucket = each.value

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Media and backups stay private (no public ACL or policy is ever set on them). The assets bucket
# is the CDN origin: anonymous read of objects, nothing else.
resource "aws_s3_bucket_policy" "assets_public_read" {
  #checkov:skip=CKV_AWS_70:Anonymous s3:GetObject on the public assets bucket is its purpose (CDN origin); no other action
  bucket = aws_s3_bucket.assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicReadForCdn"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject"]
      Resource  = ["arn:aws:s3:::${aws_s3_bucket.assets.id}/*"]
    }]
  })
}
