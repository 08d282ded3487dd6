"""Tenants (shared app, public schema): Tenant/Domain/Branding, routing, provisioning, platform API."""
