"""The course catalogue (public schema): courses, modules, lessons, quizzes, media, licences."""
