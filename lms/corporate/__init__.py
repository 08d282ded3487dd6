"""Corporate learning (tenant schemas only): employees, departments, groups, assignments with due
dates, auto-assignment rules, reminders and reports. See docs/corporate.md."""
