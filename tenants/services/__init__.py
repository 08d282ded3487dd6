"""Tenant actions: onboarding/provisioning, lifecycle, domains. One function per write."""
