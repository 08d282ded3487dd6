# Values for the Helm release (docs/deployment.md). Secrets are marked sensitive: read them with
# `terraform output -raw database_url` straight into `kubectl create secret`, never into logs.

output "cluster_id" {
  description = "Managed Kubernetes cluster ID."
  value       = selectel_mks_cluster_v1.main.id
}

output "kubeconfig" {
  description = "Admin kubeconfig of the cluster (CI stores it as a masked file variable)."
  value       = data.selectel_mks_kubeconfig_v1.main.raw_config
  sensitive   = true
}

output "subnet_cidr" {
  description = "Private subnet (networkPolicy.egress.databaseCIDRs/redisCIDRs in the Helm values)."
  value       = openstack_networking_subnet_v2.private.cidr
}

output "database_url" {
  description = "DATABASE_URL for the app's Secret."
  value = format(
    "postgresql://%s:%s@%s:%d/%s",
    selectel_dbaas_user_v1.app.name, random_password.postgres.result,
    local.postgres_host, var.postgres_port, selectel_dbaas_postgresql_database_v1.app.name,
  )
  sensitive = true
}

output "redis_url" {
  description = "REDIS_URL for the app's Secret (database 0: cache, routing cache and Celery broker)."
  value       = format("redis://:%s@%s:%d/0", random_password.redis.result, local.redis_host, var.redis_port)
  sensitive   = true
}

output "s3_endpoint" {
  description = "S3_ENDPOINT_URL."
  value       = var.s3_endpoint
}

output "media_bucket" {
  description = "S3_BUCKET_MEDIA."
  value       = aws_s3_bucket.media.id
}

output "backups_bucket" {
  description = "Bucket of the per-tenant backups."
  value       = aws_s3_bucket.backups.id
}

output "assets_bucket" {
  description = "Public assets bucket (the CDN's origin)."
  value       = aws_s3_bucket.assets.id
}

output "s3_access_key" {
  description = "S3_ACCESS_KEY_ID of the app's service user."
  value       = selectel_iam_s3_credentials_v1.app.access_key
  sensitive   = true
}

output "s3_secret_key" {
  description = "S3_SECRET_ACCESS_KEY of the app's service user."
  value       = selectel_iam_s3_credentials_v1.app.secret_key
  sensitive   = true
}

output "media_public_base_url" {
  description = "MEDIA_PUBLIC_BASE_URL once the CDN exists."
  value       = "https://${var.cdn_hostname}.${var.base_domain}/"
}
