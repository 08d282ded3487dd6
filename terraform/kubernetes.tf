# Managed Kubernetes: a highly available control plane (three masters) in the private network,
# and autoscaling node groups (Selectel runs the cluster autoscaler; pods that do not fit add
# nodes up to max_nodes, idle nodes are removed down to min_nodes).

data "selectel_mks_kube_versions_v1" "versions" {
  project_id = var.project_id
  region     = var.region
}

resource "selectel_mks_cluster_v1" "main" {
  name         = local.name
  project_id   = var.project_id
  region       = var.region
  kube_version = var.kube_version != "" ? var.kube_version : data.selectel_mks_kube_versions_v1.versions.latest_version
  cluster_type = length(var.availability_zones) > 1 ? "HIGH_AVAILABILITY_MULTI_AZ" : "HIGH_AVAILABILITY"
  network_id   = openstack_networking_network_v2.private.id
  subnet_id    = openstack_networking_subnet_v2.private.id

  enable_autorepair                 = true
  enable_patch_version_auto_upgrade = true
  maintenance_window_start          = "00:00:00" # 03:00 Moscow time, the quietest hour
  private_kube_api                  = var.kube_api_private
  enable_audit_logs                 = true

  # Minor upgrades are deliberate (a new kube_version), not a side effect of a newer list.
  lifecycle {
    ignore_changes = [kube_version]
  }

  depends_on = [openstack_networking_router_interface_v2.private]
}

locals {
  # one node group per (role, zone)
  node_groups = {
    for pair in setproduct(keys(var.node_groups), var.availability_zones) :
    "${pair[0]}-${pair[1]}" => merge(var.node_groups[pair[0]], { role = pair[0], zone = pair[1] })
  }
}

resource "selectel_mks_nodegroup_v1" "groups" {
  for_each = local.node_groups

  cluster_id        = selectel_mks_cluster_v1.main.id
  project_id        = selectel_mks_cluster_v1.main.project_id
  region            = selectel_mks_cluster_v1.main.region
  availability_zone = each.value.zone

  cpus        = each.value.cpus
  ram_mb      = each.value.ram_mb
  volume_gb   = each.value.volume_gb
  volume_type = "fast.${each.value.zone}"

  install_nvidia_device_plugin = false
  preemptible                  = false

  nodes_count         = each.value.min_nodes
  enable_autoscale    = true
  autoscale_min_nodes = each.value.min_nodes
  autoscale_max_nodes = each.value.max_nodes

  labels = merge({ "ffs/role" = each.value.role }, each.value.labels)

  # the autoscaler owns the current size
  lifecycle {
    ignore_changes = [nodes_count]
  }
}

data "selectel_mks_kubeconfig_v1" "main" {
  cluster_id = selectel_mks_cluster_v1.main.id
  project_id = selectel_mks_cluster_v1.main.project_id
  region     = selectel_mks_cluster_v1.main.region
}
