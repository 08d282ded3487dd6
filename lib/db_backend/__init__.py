"""Database engine `lib.db_backend`: django-tenants' schema routing plus django-prometheus' query
metrics, in one wrapper class (see `base.py`)."""
