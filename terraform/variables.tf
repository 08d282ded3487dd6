# ---- account and credentials ------------------------------------------------------------------

variable "selectel_account_id" {
  description = "Selectel account ID (the number in the top right corner of the control panel)."
  type        = string
}

variable "selectel_username" {
  description = "Service user with the member role in the project (drives the Selectel and OpenStack providers)."
  type        = string
}

variable "selectel_password" {
  description = "Password of that service user."
  type        = string
  sensitive   = true
}

variable "project_id" {
  description = "Existing Selectel cloud project of this environment (created once by the account admin)."
  type        = string
}

variable "s3_admin_access_key" {
  description = "S3 key with the object_storage:admin role, used by Terraform to manage buckets."
  type        = string
  sensitive   = true
}

variable "s3_admin_secret_key" {
  description = "Secret of s3_admin_access_key."
  type        = string
  sensitive   = true
}

# ---- placement --------------------------------------------------------------------------------

variable "environment" {
  description = "Environment name, part of every resource name (staging, production)."
  type        = string
  default     = "production"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "Lower-case letters, digits and dashes, at most 16 characters."
  }
}

variable "region" {
  description = "Selectel pool for the cluster and the databases, e.g. ru-7."
  type        = string
  default     = "ru-7"
}

variable "availability_zones" {
  description = "Pool segments for the node groups; one node group per zone and role."
  type        = list(string)
  default     = ["ru-7a"]
}

variable "s3_region" {
  description = "Selectel S3 pool."
  type        = string
  default     = "ru-1"
}

variable "s3_endpoint" {
  description = "S3 API endpoint of that pool."
  type        = string
  default     = "https://s3.ru-1.storage.selcloud.ru"
}

# ---- network ----------------------------------------------------------------------------------

variable "subnet_cidr" {
  description = "Private subnet of the nodes and the managed databases (also networkPolicy.egress in the Helm values)."
  type        = string
  default     = "10.20.0.0/24"
}

variable "dns_nameservers" {
  description = "Resolvers handed out by DHCP in the private subnet (Selectel's recursive resolvers)."
  type        = list(string)
  default     = ["188.93.16.19", "188.93.17.19"]
}

# ---- Kubernetes -------------------------------------------------------------------------------

variable "kube_version" {
  description = "Kubernetes version; empty = the newest version Selectel offers at creation."
  type        = string
  default     = ""
}

variable "kube_api_private" {
  description = "Kube API reachable only from the cluster network (then CI needs a runner inside it)."
  type        = bool
  default     = false
}

variable "node_groups" {
  description = <<-EOT
    Autoscaling node groups per zone. `apps` runs web and workers; add groups (e.g. a separate
    one for workers) by adding keys. Sizes are per node.
  EOT
  type = map(object({
    cpus      = number
    ram_mb    = number
    volume_gb = number
    min_nodes = number
    max_nodes = number
    labels    = optional(map(string), {})
  }))
  default = {
    apps = { cpus = 4, ram_mb = 8192, volume_gb = 50, min_nodes = 2, max_nodes = 8 }
  }
}

# ---- databases --------------------------------------------------------------------------------

variable "postgres_version" {
  description = "PostgreSQL major version (must be offered by Selectel Managed Databases)."
  type        = string
  default     = "16"
}

variable "postgres_nodes" {
  description = "Nodes of the PostgreSQL cluster: 1 primary + replicas (failover)."
  type        = number
  default     = 2
}

variable "postgres_flavor" {
  description = "Per-node size of the PostgreSQL cluster."
  type = object({
    vcpus = number
    ram   = number
    disk  = number
  })
  default = { vcpus = 4, ram = 16384, disk = 100 }
}

variable "postgres_backup_retention_days" {
  description = "Days of automatic backups (point-in-time restore window) kept by Managed Databases."
  type        = number
  default     = 14
}

variable "postgres_port" {
  description = "Port in DATABASE_URL. Check the cluster's connection page: the pooler (session mode) and direct connections use different ports."
  type        = number
  default     = 5432
}

variable "redis_version" {
  description = "Redis version offered by Selectel Managed Databases."
  type        = string
  default     = "7"
}

variable "redis_nodes" {
  description = "Nodes of the Redis cluster (1 master + replicas)."
  type        = number
  default     = 2
}

variable "redis_flavor" {
  description = "Per-node size of Redis (picked from the available flavors)."
  type = object({
    vcpus = number
    ram   = number
  })
  default = { vcpus = 2, ram = 4096 }
}

variable "redis_port" {
  description = "Port in REDIS_URL (check the cluster's connection page)."
  type        = number
  default     = 6379
}

# ---- storage, CDN and DNS ---------------------------------------------------------------------

variable "bucket_prefix" {
  description = "Prefix of the bucket names (S3 bucket names are global): <prefix>-<environment>-media, …"
  type        = string
  default     = "ffs"
}

variable "s3_server_side_encryption" {
  description = "Set a default server-side encryption rule on the buckets. Enable only where the S3 pool supports PutBucketEncryption."
  type        = bool
  default     = false
}

variable "base_domain" {
  description = "Storefront host; tenants are <slug>.<base_domain>. Its zone is hosted in Selectel DNS."
  type        = string
}

variable "ingress_ip" {
  description = "Public IP of the ingress controller's load balancer (known after the first Helm install); empty = no A records yet."
  type        = string
  default     = ""
}

variable "cdn_hostname" {
  description = "Host of the CDN for public assets, inside base_domain (MEDIA_PUBLIC_BASE_URL)."
  type        = string
  default     = "media"
}

variable "cdn_cname_target" {
  description = "Domain of the Selectel CDN resource (shown in the CDN panel after it is created); empty = no CNAME yet."
  type        = string
  default     = ""
}
