"""Cross-cutting helpers shared by every app (errors, scoped API base classes, mail, health)."""
