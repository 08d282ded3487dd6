# Managed PostgreSQL (schema per tenant: one database, many schemas) and managed Redis (cache,
# routing cache, Celery broker), both in the private subnet.

# ---- PostgreSQL -------------------------------------------------------------------------------

data "selectel_dbaas_datastore_type_v1" "postgres" {
  project_id = var.project_id
  region     = var.region
  filter {
    engine  = "postgresql"
    version = var.postgres_version
  }
}

resource "selectel_dbaas_postgresql_datastore_v1" "main" {
  name       = "${local.name}-pg"
  project_id = var.project_id
  region     = var.region
  type_id    = data.selectel_dbaas_datastore_type_v1.postgres.datastore_types[0].id
  subnet_id  = openstack_networking_subnet_v2.private.id
  node_count = var.postgres_nodes

  flavor {
    vcpus = var.postgres_flavor.vcpus
    ram   = var.postgres_flavor.ram
    disk  = var.postgres_flavor.disk
  }

  # The pooler must run in SESSION mode: tenants are PostgreSQL schemas selected with
  # search_path per connection, and transaction pooling would hand one tenant's search_path to
  # another tenant's transaction (DESIGN.md §3, django-tenants #545/#1112). Selectel's default
  # is transaction mode, so this is not optional.
  pooler {
    mode = "session"
    size = 50
  }

  # automatic backups and point-in-time restore; per-tenant logical backups come on top (app)
  backup_retention_days = var.postgres_backup_retention_days

  depends_on = [openstack_networking_router_interface_v2.private]
}

resource "random_password" "postgres" {
  length  = 32
  special = false # goes into DATABASE_URL unescaped
}

resource "selectel_dbaas_user_v1" "app" {
  project_id   = var.project_id
  region       = var.region
  datastore_id = selectel_dbaas_postgresql_datastore_v1.main.id
  name         = "ffs"
  password     = random_password.postgres.result
}

# The application's user owns the database: migrations create one schema per tenant.
resource "selectel_dbaas_postgresql_database_v1" "app" {
  project_id   = var.project_id
  region       = var.region
  datastore_id = selectel_dbaas_postgresql_datastore_v1.main.id
  owner_id     = selectel_dbaas_user_v1.app.id
  name         = "ffs"
}

# ---- Redis ------------------------------------------------------------------------------------

data "selectel_dbaas_datastore_type_v1" "redis" {
  project_id = var.project_id
  region     = var.region
  filter {
    engine  = "redis"
    version = var.redis_version
  }
}

data "selectel_dbaas_flavor_v1" "redis" {
  project_id = var.project_id
  region     = var.region
  filter {
    vcpus             = var.redis_flavor.vcpus
    ram               = var.redis_flavor.ram
    datastore_type_id = data.selectel_dbaas_datastore_type_v1.redis.datastore_types[0].id
  }
}

resource "random_password" "redis" {
  length  = 32
  special = false # goes into REDIS_URL unescaped
}

resource "selectel_dbaas_redis_datastore_v1" "main" {
  name           = "${local.name}-redis"
  project_id     = var.project_id
  region         = var.region
  type_id        = data.selectel_dbaas_datastore_type_v1.redis.datastore_types[0].id
  subnet_id      = openstack_networking_subnet_v2.private.id
  node_count     = var.redis_nodes
  flavor_id      = data.selectel_dbaas_flavor_v1.redis.flavors[0].id
  redis_password = random_password.redis.result

  # Redis is also the Celery broker: a full memory must refuse writes, never evict queued tasks.
  # (The caches set TTLs on every key.) Parameter names: data source
  # selectel_dbaas_configuration_parameter_v1.
  config = {
    "maxmemory-policy" = "noeviction"
  }

  depends_on = [openstack_networking_router_interface_v2.private]
}

locals {
  # DNS names of the current primaries ("connections" of the datastores; the documented
  # master.<id>.c.dbaas.selcloud.ru form as a fallback)
  postgres_host = lookup(
    selectel_dbaas_postgresql_datastore_v1.main.connections, "master",
    "master.${selectel_dbaas_postgresql_datastore_v1.main.id}.c.dbaas.selcloud.ru"
  )
  redis_host = lookup(
    selectel_dbaas_redis_datastore_v1.main.connections, "master",
    "master.${selectel_dbaas_redis_datastore_v1.main.id}.c.dbaas.selcloud.ru"
  )
}
