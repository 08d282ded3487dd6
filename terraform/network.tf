# Private network of the environment: nodes and managed databases share one subnet, so the
# databases need no public address. A router with the external network gives the nodes outbound
# internet (S3, identity providers, payment APIs, image pulls).

locals {
  name = "ffs-${var.environment}"
}

data "openstack_networking_network_v2" "external" {
  external = true
}

resource "openstack_networking_router_v2" "main" {
  name                = "${local.name}-router"
  external_network_id = data.openstack_networking_network_v2.external.id
}

resource "openstack_networking_network_v2" "private" {
  name           = "${local.name}-net"
  admin_state_up = true
}

resource "openstack_networking_subnet_v2" "private" {
  name            = "${local.name}-subnet"
  network_id      = openstack_networking_network_v2.private.id
  cidr            = var.subnet_cidr
  dns_nameservers = var.dns_nameservers
  enable_dhcp     = true
}

resource "openstack_networking_router_interface_v2" "private" {
  router_id = openstack_networking_router_v2.main.id
  subnet_id = openstack_networking_subnet_v2.private.id
}
