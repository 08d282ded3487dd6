"""Learner actions: enrolment, lesson access, progress, quizzes, certificates."""
