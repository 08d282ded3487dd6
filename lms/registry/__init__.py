"""Public index of certificate codes → the schema that issued them (shared app).

Certificates live in their learner's schema; the public verification page must find them from the
code alone. The index holds no personal data: code, tenant and schema only.
"""
