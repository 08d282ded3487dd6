"""Learning: `lms.catalog` (shared: courses, lessons, media, licences), `lms.learning` (every schema:
enrolments, progress, quizzes, certificates) and `lms.registry` (shared: certificate code index)."""
