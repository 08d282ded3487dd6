# DNS zone of the base domain in Selectel DNS hosting. The registrar must delegate the domain to
# Selectel's name servers once. Records: the storefront, every tenant subdomain (wildcard), and the
# CDN host for public assets. Tenants' custom domains live in their own DNS (a CNAME to the base
# domain) and are verified by the app with a TXT record.

resource "selectel_domains_zone_v2" "main" {
  name       = "${var.base_domain}."
  project_id = var.project_id
}

resource "selectel_domains_rrset_v2" "base" {
  count      = var.ingress_ip != "" ? 1 : 0
  zone_id    = selectel_domains_zone_v2.main.id
  name       = "${var.base_domain}."
  type       = "A"
  ttl        = 300
  project_id = var.project_id
  records {
    content = var.ingress_ip
  }
}

resource "selectel_domains_rrset_v2" "tenants_wildcard" {
  count      = var.ingress_ip != "" ? 1 : 0
  zone_id    = selectel_domains_zone_v2.main.id
  name       = "*.${var.base_domain}."
  type       = "A"
  ttl        = 300
  project_id = var.project_id
  records {
    content = var.ingress_ip
  }
}

# CDN in front of the public assets bucket. The Selectel provider (checked up to 8.3.x) has no
# CDN resource, so the CDN resource itself is created once in the panel (terraform/README.md:
# origin = the assets bucket, personal domain = this host) and only its DNS name is managed here.
resource "selectel_domains_rrset_v2" "cdn" {
  count      = var.cdn_cname_target != "" ? 1 : 0
  zone_id    = selectel_domains_zone_v2.main.id
  name       = "${var.cdn_hostname}.${var.base_domain}."
  type       = "CNAME"
  ttl        = 3600
  project_id = var.project_id
  records {
    content = "${trimsuffix(var.cdn_cname_target, ".")}."
  }
}
